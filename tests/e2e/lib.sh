# Shell test library for the end-to-end tests, after git's t/test-lib.sh.
# Source it; then call test_expect_success "description" 'commands' and
# finally test_done. $AVOIN is the binary under test, $AVOIN_TOP the source tree.
set -u
: "${AVOIN_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${AVOIN:=$AVOIN_TOP/avoin}"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/avoin-e2e.XXXXXX")
trap '[ -n "${KEEP_TMP:-}" ] || rm -rf "$TMP"' EXIT
export GIT_CONFIG_NOSYSTEM=1 HOME="$TMP/home" GIT_AUTHOR_NAME="Testi Tekijä" \
	GIT_AUTHOR_EMAIL="tekija@example.invalid" GIT_COMMITTER_NAME="Testi Tekijä" \
	GIT_COMMITTER_EMAIL="tekija@example.invalid"
mkdir -p "$HOME"
cd "$TMP" || exit 1
git config --global init.defaultBranch main
git config --global user.name "$GIT_AUTHOR_NAME"
git config --global user.email "$GIT_AUTHOR_EMAIL"
test_count=0 test_failures=0 test_skips=0

test_expect_success() {
	test_count=$((test_count + 1))
	out=$(cd "$TMP" && eval "$2" 2>&1)
	if [ $? -eq 0 ]; then
		echo "ok $test_count - $1"
	else
		test_failures=$((test_failures + 1))
		echo "not ok $test_count - $1"
		printf '%s\n' "$out" | sed 's/^/#   /' | head -n 60
	fi
}

test_skip() {
	test_skips=$((test_skips + 1))
	echo "skip $1: $2"
}

test_done() {
	echo "$((test_count - test_failures)) passed, $test_failures failed, $test_skips skipped"
	[ "$test_failures" = 0 ]
}

# Assertions print what they expected, so a failure explains itself.
assert_contains() { grep -qF -- "$2" "$1" || { echo "expected '$2' in $1"; return 1; }; }
assert_not_contains() { ! grep -qF -- "$2" "$1" || { echo "did not expect '$2' in $1:"; grep -nF -- "$2" "$1" | head -5; return 1; }; }
assert_file() { [ -f "$1" ] || { echo "missing file $1"; return 1; }; }
assert_no_file() { [ ! -e "$1" ] || { echo "unexpected file $1"; return 1; }; }

# commit_all REPO "message" [date]: commits every change in REPO, optionally at a date.
commit_all() {
	(cd "$1" && git add -A && if [ -n "${3:-}" ]; then
		GIT_AUTHOR_DATE="$3" GIT_COMMITTER_DATE="$3" git commit -q -m "$2"
	else
		git commit -q -m "$2"
	fi)
}

# new_site DIR: a git repository with a small valid content tree (one region,
# two municipalities in one area, one theme), not yet committed.
new_site() {
	mkdir -p "$1/content/testi/kunnat"
	git init -q "$1"
	printf '/public/\n/public.*\n' >"$1/.gitignore"
	cat >"$1/content/site.yaml" <<'YAML'
title: Testisivusto
base_url: https://testi.example/
languages: [fi, sv]
themes:
  - slug: osallisuus
    name: {fi: Osallisuus, sv: Delaktighet, en: Participation}
YAML
	cat >"$1/content/testi/region.md" <<'MD'
---
type: region
title: Testin hyvinvointialue
name: Testi
name_sv: Test
organisation: Testin sote
areas:
  - slug: keskinen
    name: Keskinen
    municipalities: [alfa, beta]
---
Testialueen kuvaus.
MD
	for m in alfa beta; do
		cat >"$1/content/testi/kunnat/$m.md" <<MD
---
type: municipality
title: $m
name: $m
---
Kunta $m.
MD
	done
}
