#!/usr/bin/env bash
# End-to-end demo of Coffer against a real registry on this machine.
#
#   scripts/demo.sh                 publish the NativeAOT binary, then run the demo
#   COFFER=/path/to/coffer scripts/demo.sh   run the demo with a binary you already have
#
# What it does, all on 127.0.0.1:
#   1. installs docker-registry, apache2-utils and curl (and clang + zlib1g-dev for the
#      NativeAOT publish) with apt-get when they are missing;
#   2. publishes coffer, unless COFFER names a binary;
#   3. starts a docker-registry on a free port with its own storage and htpasswd basic auth,
#      user "demo" with a random password;
#   4. under a fresh, empty HOME, DOCKER_CONFIG and TMPDIR: makes a cosign-format key pair, pushes
#      state.json with the password on stdin and signs it, pulls it back into a new folder with
#      --verify, compares the bytes, then overwrites the tag unsigned and checks that the verified
#      pull refuses it (exit 3) and writes nothing;
#   5. checks that a pull without the password is refused, so nothing was remembered;
#   6. checks that no file anywhere in the demo holds the password or its Basic-auth form;
#   7. prints a PASS summary. The registry is stopped and every temp folder removed on exit.
#
# Exit status: 0 when every check passed, non-zero with a "FAIL:" line otherwise.
set -euo pipefail

readonly USERNAME=demo
readonly REPOSITORY=demo/state
readonly TAG=latest

step() { printf '\n==> %s\n' "$*"; }
info() { printf '    %s\n' "$*"; }
fail() {
  printf '\nFAIL: %s\n' "$*" >&2
  exit 1
}
on_error() {
  local status=$? line=$1
  printf '\nFAIL: line %s of %s exited with status %s: %s\n' "$line" "$0" "$status" "$BASH_COMMAND" >&2
  exit "$status"
}
trap 'on_error $LINENO' ERR

# Shows the last lines of a log when a step fails, before the temp folder goes away.
show_log() {
  local file=$1
  [ -s "$file" ] || return 0
  printf -- '--- last lines of %s ---\n' "${file##*/}" >&2
  tail -n 30 "$file" >&2
  printf -- '---\n' >&2
}

registry_pid=""
work=""
cleanup() {
  local status=$?
  trap - ERR
  if [ -n "$registry_pid" ] && kill -0 "$registry_pid" 2>/dev/null; then
    kill "$registry_pid" 2>/dev/null || true
    wait "$registry_pid" 2>/dev/null || true
  fi
  if [ -n "$work" ] && [ -d "$work" ]; then
    rm -rf -- "$work"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo_root"

# --- 1. Tools ------------------------------------------------------------------------------
step "Checking the tools"
need=()
command -v docker-registry >/dev/null 2>&1 || need+=(docker-registry)
command -v htpasswd >/dev/null 2>&1 || need+=(apache2-utils)
command -v curl >/dev/null 2>&1 || need+=(curl)
if [ -z "${COFFER:-}" ]; then
  command -v dotnet >/dev/null 2>&1 ||
    fail "the .NET SDK (dotnet) is not on PATH; install it, or set COFFER=/path/to/coffer"
  command -v clang >/dev/null 2>&1 || need+=(clang)
  [ -e /usr/include/zlib.h ] || need+=(zlib1g-dev)
fi
if [ ${#need[@]} -gt 0 ]; then
  command -v apt-get >/dev/null 2>&1 ||
    fail "missing ${need[*]} and apt-get is not available; install them by hand"
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || fail "missing ${need[*]}; run as root or install sudo"
    sudo_cmd=(sudo)
  fi
  info "installing with apt-get: ${need[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
info "docker-registry: $(docker-registry --version 2>&1 | head -n 1)"

work=$(mktemp -d "${TMPDIR:-/tmp}/coffer-demo.XXXXXXXX")
mkdir -p "$work"/{home,docker-config,tmp,registry/storage,registry/tmp,src,pulled,pulled-forged,keys,logs}

# --- 2. The coffer binary ------------------------------------------------------------------
if [ -n "${COFFER:-}" ]; then
  step "Using COFFER=$COFFER"
  case "$COFFER" in
    /*) coffer=$COFFER ;;
    *) coffer="$repo_root/$COFFER" ;;
  esac
  [ -f "$coffer" ] && [ -x "$coffer" ] || fail "COFFER=$COFFER is not an executable file"
else
  case "$(uname -m)" in
    x86_64) rid=linux-x64 ;;
    aarch64 | arm64) rid=linux-arm64 ;;
    *) fail "no .NET runtime identifier known for $(uname -m); publish by hand and set COFFER" ;;
  esac
  step "Publishing coffer (NativeAOT, $rid; the first run takes a few minutes)"
  info "dotnet publish src/Coffer.Cli -c Release -r $rid -o <tmp>/bin"
  if ! dotnet publish src/Coffer.Cli -c Release -r "$rid" -o "$work/bin" -nologo >"$work/logs/publish.log" 2>&1; then
    show_log "$work/logs/publish.log"
    fail "dotnet publish failed"
  fi
  coffer="$work/bin/coffer"
  [ -x "$coffer" ] || fail "dotnet publish did not produce $coffer"
  info "single binary: $(du -h "$coffer" | cut -f1) $coffer"
fi
"$coffer" version | sed 's/^/    /'

# --- 3. The registry -----------------------------------------------------------------------
step "Starting docker-registry on 127.0.0.1 with htpasswd basic auth"
# 24 random bytes in base64url: 32 characters, no padding, safe in any shell word.
PASSWORD=$(head -c 24 /dev/urandom | base64 | tr '+/' '-_')
readonly PASSWORD
basic_form=$(printf '%s:%s' "$USERNAME" "$PASSWORD" | base64 | tr -d '\n')
password_b64=$(printf '%s' "$PASSWORD" | base64 | tr -d '\n')

# -i reads the password from stdin, so it never shows in a process list.
printf '%s\n' "$PASSWORD" | htpasswd -Bin "$USERNAME" >"$work/registry/htpasswd" 2>/dev/null
cat >"$work/registry/config.yml" <<EOF
version: 0.1
log:
  level: warn
  formatter: text
storage:
  filesystem:
    rootdirectory: $work/registry/storage
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: 127.0.0.1:5000
  secret: $(head -c 16 /dev/urandom | base64 | tr -d '\n')
auth:
  htpasswd:
    realm: coffer-demo
    path: $work/registry/htpasswd
EOF

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
v2_status() { curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$1/v2/" || true; }

port=""
for _ in $(seq 1 20); do
  candidate=$((20000 + RANDOM % 40000))
  port_in_use "$candidate" && continue
  # The address override keeps the registry on loopback whatever the config says.
  REGISTRY_HTTP_ADDR="127.0.0.1:$candidate" TMPDIR="$work/registry/tmp" \
    docker-registry serve "$work/registry/config.yml" \
    >"$work/logs/registry-access.log" 2>"$work/logs/registry.log" &
  registry_pid=$!
  for _ in $(seq 1 100); do
    kill -0 "$registry_pid" 2>/dev/null || break
    [ "$(v2_status "$candidate")" = 401 ] && port=$candidate && break
    sleep 0.1
  done
  [ -n "$port" ] && break
  if kill -0 "$registry_pid" 2>/dev/null; then
    show_log "$work/logs/registry.log"
    fail "docker-registry on port $candidate did not answer GET /v2/ with 401 within 10 s"
  fi
  wait "$registry_pid" 2>/dev/null || true
  registry_pid=""
  grep -q 'address already in use' "$work/logs/registry.log" && continue
  show_log "$work/logs/registry.log"
  fail "docker-registry exited at start-up"
done
[ -n "$port" ] || fail "found no free port for docker-registry after 20 tries"
registry="127.0.0.1:$port"
reference="$registry/$REPOSITORY:$TAG"
info "registry $registry (pid $registry_pid), storage in a temp folder"
info "GET /v2/ without credentials: 401, so auth is on; user '$USERNAME', random password"

# --- 4. Push and pull under a fresh environment -------------------------------------------
step "Switching to a fresh, empty HOME, DOCKER_CONFIG and TMPDIR"
export HOME="$work/home" DOCKER_CONFIG="$work/docker-config" TMPDIR="$work/tmp"
# Unset, these default to folders under the fresh HOME, which the leak check covers.
unset XDG_CONFIG_HOME XDG_CACHE_HOME XDG_DATA_HOME XDG_STATE_HOME XDG_RUNTIME_DIR
info "HOME=$HOME"
info "DOCKER_CONFIG=$DOCKER_CONFIG"
info "TMPDIR=$TMPDIR"

cat >"$work/src/state.json" <<EOF
{
  "version": 1,
  "serial": 42,
  "lineage": "$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')",
  "resources": [
    { "type": "bucket", "name": "artifacts", "region": "eu-west-1" },
    { "type": "queue", "name": "builds", "retention_days": 7 }
  ]
}
EOF
info "state.json: $(wc -c <"$work/src/state.json") bytes"

# Runs coffer with the password piped to stdin; output goes to logs/<name>.out and .err.
run_coffer() {
  local name=$1
  shift
  local status=0
  printf '%s' "$PASSWORD" | "$coffer" "$@" >"$work/logs/$name.out" 2>"$work/logs/$name.err" || status=$?
  sed 's/^/    | /' "$work/logs/$name.out" "$work/logs/$name.err"
  return "$status"
}

step "A signing key (cosign format, encrypted with COSIGN_PASSWORD)"
COSIGN_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')
export COSIGN_PASSWORD
"$coffer" generate-key-pair --output-key-prefix "$work/keys/cosign" | sed 's/^/    | /' ||
  fail "coffer generate-key-pair failed"

step "Push, signed"
info "\$ printf '%s' \"\$PASSWORD\" | coffer push --plain-http -u $USERNAME --password-stdin \\"
info "    --sign --key cosign.key --tlog-upload=false $reference state.json"
cd "$work/src"
run_coffer push push --plain-http -u "$USERNAME" --password-stdin \
  --sign --key "$work/keys/cosign.key" --tlog-upload=false "$reference" state.json ||
  fail "coffer push exited with status $?"
cd "$repo_root"
push_digest=$(sed -n 's/^Digest: //p' "$work/logs/push.out")
[ -n "$push_digest" ] || fail "coffer push printed no 'Digest:' line"

step "Pull into a new folder, verifying the signature first"
info "\$ printf '%s' \"\$PASSWORD\" | coffer pull --plain-http -u $USERNAME --password-stdin \\"
info "    --verify --key cosign.pub --insecure-ignore-tlog $reference -o <tmp>/pulled"
run_coffer pull pull --plain-http -u "$USERNAME" --password-stdin \
  --verify --key "$work/keys/cosign.pub" --insecure-ignore-tlog "$reference" -o "$work/pulled" ||
  fail "coffer pull exited with status $?"
pull_digest=$(sed -n 's/^Digest: //p' "$work/logs/pull.out")

step "Comparing"
[ -f "$work/pulled/state.json" ] || fail "the pull wrote no state.json"
cmp "$work/src/state.json" "$work/pulled/state.json" || fail "the pulled state.json differs from the pushed one"
info "cmp: the pulled state.json is byte-identical to the pushed one"
[ "$push_digest" = "$pull_digest" ] ||
  fail "the pull reported manifest $pull_digest, the push $push_digest"
info "push and pull report the same manifest digest"
extra=$(find "$work/pulled" -mindepth 1 ! -name state.json)
[ -z "$extra" ] || fail "the pull wrote more than state.json: $extra"

step "Someone with write access overwrites the tag; the verified pull must refuse it"
printf '{"forged": true}\n' >"$work/src/forged.json"
cd "$work/src"
run_coffer forge push --plain-http -u "$USERNAME" --password-stdin "$reference" forged.json ||
  fail "the unsigned overwrite failed"
cd "$repo_root"
forged_status=0
run_coffer pull-forged pull --plain-http -u "$USERNAME" --password-stdin \
  --verify --key "$work/keys/cosign.pub" --insecure-ignore-tlog "$reference" -o "$work/pulled-forged" ||
  forged_status=$?
[ "$forged_status" -eq 3 ] || fail "the verified pull of the forged tag exited $forged_status, not 3"
[ -z "$(ls -A "$work/pulled-forged")" ] || fail "the refused verified pull still wrote files"
info "refused with exit status 3 (verification failed); nothing was written"

step "A pull without credentials must be refused (nothing was remembered)"
mkdir "$work/pulled-anonymous"
anonymous_status=0
"$coffer" pull --plain-http "$reference" -o "$work/pulled-anonymous" \
  >"$work/logs/anonymous.out" 2>"$work/logs/anonymous.err" </dev/null || anonymous_status=$?
sed 's/^/    | /' "$work/logs/anonymous.out" "$work/logs/anonymous.err"
[ "$anonymous_status" -ne 0 ] || fail "a pull without credentials succeeded: a credential was stored somewhere"
[ -z "$(ls -A "$work/pulled-anonymous")" ] || fail "the refused pull still wrote files"
info "refused with exit status $anonymous_status, as expected"

# --- 5. Nothing written, nothing leaked ---------------------------------------------------
step "Checking that nothing was written under HOME, DOCKER_CONFIG or TMPDIR"
written=$(find "$HOME" "$DOCKER_CONFIG" "$TMPDIR" -mindepth 1)
if [ -n "$written" ]; then
  info "coffer left these behind:"
  printf '%s\n' "$written" | sed 's/^/      /'
else
  info "all three are still empty"
fi

# Every file of the demo except the binary: the fresh folders, the pushed and pulled files,
# coffer's own output, and the registry's storage and logs (a secret in a URL would show there).
leaks=$(grep -rlF --exclude-dir=bin -e "$PASSWORD" -e "$basic_form" -e "$password_b64" -e "$COSIGN_PASSWORD" \
  "$work" || true)
if [ -n "$leaks" ]; then
  printf '%s\n' "$leaks" | sed 's/^/      /' >&2
  fail "the password or its base64 form was found in the files above"
fi
info "no file holds the password, base64(password) or base64($USERNAME:password)"
[ -z "$written" ] || fail "coffer wrote files under HOME, DOCKER_CONFIG or TMPDIR (listed above)"

# The access log is Apache combined format; coffer's requests carry its User-Agent.
requests=$(grep -c '"coffer/' "$work/logs/registry-access.log" || true)

printf '\nPASS: coffer pushed, signed, verified and pulled state.json through docker-registry with basic auth\n'
printf '  registry      %s (htpasswd, user %s, random password)\n' "$registry" "$USERNAME"
printf '  reference     %s\n' "$reference"
printf '  manifest      %s\n' "$push_digest"
printf '  file          state.json, %s bytes, identical after the round trip (cmp)\n' \
  "$(wc -c <"$work/src/state.json")"
printf '  signature     cosign-format key; the verified pull checked it before writing\n'
printf '  tampering     tag overwritten without a signature: verified pull refused (exit 3)\n'
printf '  anonymous     pull refused (exit %s)\n' "$anonymous_status"
printf '  secrets       none written under HOME, DOCKER_CONFIG or TMPDIR; no file holds the password\n'
printf '  requests      %s from coffer in the registry access log (5 runs)\n' "$requests"
