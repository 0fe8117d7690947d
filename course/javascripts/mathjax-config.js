// MathJax 3 configuration for pymdownx.arithmatex (generic mode), which wraps inline math
// in <span class="arithmatex">\(...\)</span> and display math in <div class="arithmatex">\[...\]</div>.
// MathJax itself is served from this site (assets/vendor/mathjax, copied from npm at build
// time), so formulas render without an internet connection.
window.MathJax = {
  tex: {
    inlineMath: [["\\(", "\\)"]],
    displayMath: [["\\[", "\\]"]],
    processEscapes: true,
    processEnvironments: true,
  },
  options: {
    ignoreHtmlClass: ".*|",
    processHtmlClass: "arithmatex",
  },
};

// Typeset again whenever Material swaps in a new page (document$ emits on every page load).
document$.subscribe(() => {
  if (!window.MathJax.startup || !window.MathJax.typesetPromise) {
    return; // MathJax has not started yet: its own startup typesets the page
  }
  window.MathJax.startup.promise.then(() => {
    window.MathJax.startup.output.clearCache();
    window.MathJax.typesetClear();
    window.MathJax.texReset();
    return window.MathJax.typesetPromise();
  });
});
