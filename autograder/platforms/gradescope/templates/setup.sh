#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image.
# It installs Python >= 3.11 (if the image has none), bubblewrap (best effort:
# the strongest sandbox where the container allows it), and NumPy, rich and
# nbformat into a virtual environment: from the zip's wheels/ when it carries
# them, else from the package index.  The grading engine itself runs from
# this folder.  Then it grades the reference solution once, as a self-test.
set -euo pipefail
SOURCE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="${BACKPROP_VENV:-/opt/backprop-course/venv}"
export DEBIAN_FRONTEND=noninteractive

good_python() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; }
find_python() {
    local candidate
    for candidate in python3.12 python3.11 python3.13 python3; do
        if command -v "$candidate" >/dev/null 2>&1 && good_python "$candidate"; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}
apt() { command -v apt-get >/dev/null 2>&1 && apt-get install -y -qq "$@" >/dev/null 2>&1; }

if command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq >/dev/null 2>&1 || echo "setup.sh: apt-get update failed; going on"
    apt bubblewrap || echo "setup.sh: bubblewrap is not available; grading uses the 'user' sandbox"
fi

PYTHON="$(find_python || true)"
if [ -z "$PYTHON" ]; then
    echo "setup.sh: no Python >= 3.11 here; installing python3.11"
    apt python3.11 python3.11-venv || {
        apt software-properties-common && add-apt-repository -y ppa:deadsnakes/ppa >/dev/null 2>&1 \
            && apt-get update -qq >/dev/null 2>&1 && apt python3.11 python3.11-venv; } || true
    PYTHON="$(find_python || true)"
fi
if [ -z "$PYTHON" ]; then
    echo "setup.sh: could not install Python >= 3.11; choose a newer base image" \
         "(Ubuntu 22.04 or later)" >&2
    exit 1
fi
echo "setup.sh: using $PYTHON ($("$PYTHON" --version 2>&1))"
if ! "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
    apt "$(basename "$PYTHON")-venv" || apt python3-venv || true
fi

rm -rf "$VENV"
mkdir -p "$(dirname "$VENV")"
"$PYTHON" -m venv "$VENV"
chmod -R a+rX "$(dirname "$VENV")"   # the sandboxed submissions run this Python as nobody
PIP=("$VENV/bin/python" -m pip --disable-pip-version-check --no-input)
if [ -d "$SOURCE/wheels" ] && "${PIP[@]}" install --quiet --no-index --find-links "$SOURCE/wheels" \
        -r "$SOURCE/requirements.txt"; then
    echo "setup.sh: installed the dependencies from the zip's wheels"
else
    if [ -d "$SOURCE/wheels" ]; then
        echo "setup.sh: the zip's wheels do not fit this Python; using the package index"
    fi
    "${PIP[@]}" install --quiet -r "$SOURCE/requirements.txt"
fi
chmod -R a+rX "$VENV"
chmod +x "$SOURCE/run_autograder"

cd "$SOURCE"
PYTHONPATH="$SOURCE" "$VENV/bin/python" -P -m autograder.platforms.gradescope --self-test
