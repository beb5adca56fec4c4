#!/bin/sh
# The example site (content/ of this tree) as a repository of one commit with a
# fixed author and date: every record kind, the default theme's pages, hooks and
# data files. Its expected/ changes when the example content does, on purpose.
set -eu
repo=$1
top=$(cd "$(dirname "$0")/../../.." && pwd)
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME="Testi Tekijä" GIT_AUTHOR_EMAIL="tekija@example.invalid"
export GIT_COMMITTER_NAME="Testi Tekijä" GIT_COMMITTER_EMAIL="tekija@example.invalid"
export GIT_AUTHOR_DATE="2024-03-01T09:00:00+02:00" GIT_COMMITTER_DATE="2024-03-01T09:00:00+02:00"
rm -rf "$repo"
git init -q -b main "$repo"
cp -R "$top/content" "$repo/content"
git -C "$repo" add -A
git -C "$repo" commit -q -m "Esimerkkisivusto"
