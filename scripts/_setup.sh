# Shared set-up for scripts/test and scripts/demo (sourced, not run).
# Creates .venv if missing; reinstalls `-e .[dev]` when pyproject.toml changed since the last
# install, tracked by a stamp file holding the file's hash, so a second run costs nothing.
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    echo "Creating .venv …" >&2
    "$PYTHON" -m venv .venv
fi
stamp=.venv/.kiosk-installed
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "Installing the kiosk and its dependencies into .venv …" >&2
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev]' >&2
    echo "$want" > "$stamp"
fi
