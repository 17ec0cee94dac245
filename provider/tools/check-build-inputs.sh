#!/bin/sh
# Checks that every tool, pkg-config module and file the build reads is present (provider/tools/build-inputs).
# Prints what is missing, with the Debian package that provides it, to stderr and exits 1; silent and 0 when
# all is there.  The Makefile runs it before compiling anything.
set -u
table=$(dirname "$0")/build-inputs
missing='' packages=''

while read -r kind what package; do
	case $kind in
	tool) command -v "$what" >/dev/null 2>&1 && continue; label="the command $what" ;;
	pc) command -v pkg-config >/dev/null 2>&1 && pkg-config --exists "$what" && continue
		label="the pkg-config module $what" ;;
	file) [ -r "$what" ] && continue; label=$what ;;
	lib) case $(${CC:-cc} -print-file-name="lib$what.so" 2>/dev/null) in /*) continue ;; esac
		label="the library lib$what.so" ;;
	*) continue ;;
	esac
	missing="$missing
  $label (Debian package $package)"
	case " $packages " in *" $package "*) ;; *) packages="$packages $package" ;; esac
done <"$table"

[ -z "$missing" ] && exit 0
cat >&2 <<MSG
The build cannot start; missing:$missing
Install them with \`make deps\` (which runs tests/tools/install.sh), or by hand:
  sudo apt-get install$packages
MSG
exit 1
