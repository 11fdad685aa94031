#!/usr/bin/env bash
# Coverage-guided fuzzing of the frame decoder and the request parser with libFuzzer:
#   Fuzz/libfuzz.sh [SECONDS]      (default 30; CI runs it bounded like this)
# Builds circle-libfuzz with -sanitize=fuzzer in its own build folder (.build-fuzz), then
# fuzzes a scratch copy of Fuzz/corpus, so the committed seeds stay small and reviewed. A
# crash stops the run with exit status 1 and leaves the input in Fuzz/crash-*: add it to
# Fuzz/corpus once fixed, so every build replays it.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"

swift build --product circle-libfuzz --scratch-path .build-fuzz --sanitize=fuzzer -Xcc -DCIRCLE_LIBFUZZER
binary="$(swift build --product circle-libfuzz --scratch-path .build-fuzz --sanitize=fuzzer --show-bin-path)/circle-libfuzz"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp Fuzz/corpus/* "$work/"
status=0
# Swift's own crash handler would take the signal from libFuzzer, which then writes no input.
SWIFT_BACKTRACE=enable=no "$binary" "$work" -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix=Fuzz/ -print_final_stats=1 >"$work.log" 2>&1 || status=$?
# The coverage line at start and end, the totals, and anything that went wrong.
grep -E "INITED|DONE|^Done|ERROR|SUMMARY|Test unit written|stat::(number_of_executed_units|new_units_added|peak_rss)" \
    "$work.log" || true
rm -f "$work.log"
exit "$status"
