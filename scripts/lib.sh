# Shared by scripts/run and scripts/test: find Python >= 3.12 and make the venv.
# Sourced, not run.

find_python() {
  local candidate
  for candidate in python3 python3.13 python3.12 \
      /root/.pyenv/versions/3.13*/bin/python3 /root/.pyenv/versions/3.12*/bin/python3 \
      /usr/bin/python3.13 /usr/bin/python3.12 /usr/local/bin/python3.13 /usr/local/bin/python3.12; do
    # A pyenv shim can exist yet fail to run, so try each one for real.
    if "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then
      command -v "$candidate" 2>/dev/null || echo "$candidate"
      return 0
    fi
  done
  return 1
}

ensure_venv() {
  # $1: the requirements file to install.
  if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
    local python
    if ! python=$(find_python); then
      echo "error: Django 6.1 needs Python 3.12 or newer, and none was found." >&2
      echo "       Looked for python3, python3.13, python3.12 and pyenv's versions. Install one and run this again." >&2
      exit 1
    fi
    echo "==> Creating .venv with $python ($("$python" --version 2>&1))"
    rm -rf .venv
    "$python" -m venv .venv
  fi
  # Reinstall only when the requirements changed (keeps a second run fast).
  local stamp=.venv/.installed-$(basename "$1")
  local wanted
  wanted=$(cat requirements*.txt | sha256sum | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
    echo "==> Installing $1"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$1"
    echo "$wanted" > "$stamp"
  fi
}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "error: need root to run: $*" >&2; return 1; fi
}

apt_install() {
  # Install Debian packages, refreshing the package lists once per run.
  if [ -z "${APT_UPDATED:-}" ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_messages() {
  # Compile the .po files in the repository into the .mo files Django reads
  # (git ignores the .mo files). GNU gettext's msgfmt does the compiling.
  command -v msgfmt >/dev/null || { echo "==> Installing Debian's gettext"; apt_install gettext; }
  # django-admin without settings: it walks the tree for locale/ folders.
  env -u DJANGO_SETTINGS_MODULE .venv/bin/django-admin compilemessages \
    --ignore=.venv --ignore=node_modules >/dev/null
}
