#!/usr/bin/env bash
# Prints the CHANGELOG.md section of one release, without its heading: the
# notes of the GitHub release that the release workflow creates.
#
#   scripts/release-notes.sh v1.2.3 [CHANGELOG]
#
# VERSION is the tag (v1.2.3) or the bare version (1.2.3). Its section is the
# one headed `## [1.2.3]` or `## [1.2.3] - YYYY-MM-DD`, up to the next `## `
# heading; link definitions (`[1.2.3]: https://...`) and the blank lines around
# the section are left out. CHANGELOG defaults to the repository's CHANGELOG.md.
# Exits 1 with a message on stderr when the version has no section, or an empty
# one; exits 2 on wrong arguments.
set -euo pipefail

usage() {
  echo "usage: $0 VERSION [CHANGELOG], VERSION such as v1.2.3" >&2
  exit 2
}

[ "$#" -ge 1 ] && [ "$#" -le 2 ] || usage
version="${1#v}"
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]] || usage
changelog="${2:-$(dirname "$0")/../CHANGELOG.md}"
if [ ! -r "$changelog" ]; then
  echo "$0: cannot read $changelog" >&2
  exit 1
fi

# The heading is compared as a string, not a regex: the dots match only dots,
# and [1.2.3] does not match [1.2.30]. Blank lines are held back until a line
# with text follows, which drops them at both ends. Exit 3: no such heading.
status=0
notes="$(
  awk -v heading="## [$version]" '
    function is_heading(line) {
      if (index(line, heading) != 1) return 0
      return length(line) == length(heading) || substr(line, length(heading) + 1, 1) == " "
    }
    found && /^## / { exit }
    found && /^\[[^]]+\]: / { next }
    found && /^[ \t]*$/ { if (printed) blanks = blanks "\n"; next }
    found { printf "%s%s\n", blanks, $0; blanks = ""; printed = 1; next }
    is_heading($0) { found = 1 }
    END { if (!found) exit 3 }
  ' "$changelog"
)" || status=$?

case "$status" in
  0) ;;
  3)
    echo "$0: $changelog has no section for $version (a heading \"## [$version] - YYYY-MM-DD\")" >&2
    exit 1
    ;;
  *) exit "$status" ;;
esac
if [ -z "$notes" ]; then
  echo "$0: the section for $version in $changelog is empty" >&2
  exit 1
fi
printf '%s\n' "$notes"
