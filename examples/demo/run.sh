#!/usr/bin/env bash
# A whole scripted session with one command: a server on a temporary data folder, a
# facilitator and three bot members run a check-in round, chat, close the session, and export
# and show its archive. Everything stays on 127.0.0.1 and is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build --product circled --product circle --product checkin-bot >/dev/null
bin="$(swift build --show-bin-path)"
work="$(mktemp -d)"
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

"$bin/circled" serve --listen 127.0.0.1:0 --data "$work/data" 2>"$work/server.log" &
server=$!
until grep -q "listening on" "$work/server.log"; do sleep 0.1; done
port="$(sed -n 's/.*listening on 127.0.0.1:\([0-9]*\).*/\1/p' "$work/server.log")"
export CIRCLE_SERVER="127.0.0.1:$port" XDG_CONFIG_HOME="$work/config"
export CIRCLE_TOKEN="$("$bin/circled" admin add-facilitator Dana --data "$work/data" 2>/dev/null)"

room="$("$bin/circle" room create "Tuesday group")"
code="$("$bin/circle" invite create "$room" --uses 3)"
"$bin/circle" session open "$room" >/dev/null
echo "room $room, invite $code, server on port $port"

"$bin/checkin-bot" --server "$CIRCLE_SERVER" --code "$code" --name Ann --goal "Walk every day" --progress 7 &
"$bin/checkin-bot" --server "$CIRCLE_SERVER" --code "$code" --name Ben --goal "Call my brother" --progress 4 &
"$bin/checkin-bot" --server "$CIRCLE_SERVER" --code "$code" --name Cat --goal "Sleep by eleven" --progress 6 &
sleep 2

"$bin/circle" script <<SCRIPT
/join $room
/say Welcome back, everyone. Let's check in.
/round 2m How did your week go?
/wait 4
/say Thank you all. Same time next week.
SCRIPT
wait %2 %3 %4 2>/dev/null || true

"$bin/circle" session close "$room" >/dev/null
sleep 1
"$bin/circle" archive export "$room" --session 1 --out "$work/session-1.circle.gz" >/dev/null
"$bin/circle" archive verify "$work/session-1.circle.gz"
"$bin/circle" archive show "$work/session-1.circle.gz" --markdown
