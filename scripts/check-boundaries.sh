#!/usr/bin/env bash
# Layer boundaries the compiler cannot see on its own (RULES R8, R11):
# - the dashboard builds without Diesel and without any module's infra;
# - Diesel is named only under a crate's src/infra/ (and in the api binary);
# - domain and application layers compile without Diesel and actix.
set -euo pipefail
cd "$(dirname "$0")/.."
fail=0

if cargo tree -p dashboard -e normal --prefix none 2>/dev/null | grep -Eq '^(diesel|diesel-async|diesel_migrations|deadpool) '; then
  echo "boundaries: the dashboard depends on Diesel (RULES R11):"
  cargo tree -p dashboard -e normal -i diesel 2>/dev/null | head -20
  fail=1
fi

leaks=$(git grep -n -E '(^|[^_[:alnum:]])diesel(_async|_migrations)?::' -- 'crates/*/src/*' \
  ':(exclude)crates/*/src/infra/*' ':(exclude)crates/*/src/infra.rs' ':(exclude)crates/api/*' || true)
if [ -n "$leaks" ]; then
  echo "boundaries: Diesel outside src/infra/ (RULES R8):"
  echo "$leaks"
  fail=1
fi

for crate in auth users finances reminders calendar; do
  if ! cargo check -q -p "$crate" --no-default-features 2>/dev/null; then
    echo "boundaries: $crate's domain and application do not build without infra and http"
    fail=1
  fi
done

[ "$fail" = 0 ] && echo "boundaries: ok"
exit "$fail"
