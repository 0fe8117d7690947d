"""Reference solutions of the backpropagation course, one module per exercise."""
