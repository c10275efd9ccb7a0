#!/usr/bin/env bash
# Compares coffer with skopeo and bare curl on the same local docker-registry (127.0.0.1 only), and
# measures what coffer's speed goals need: many blobs at default concurrency against --concurrency 1,
# start-up, offline verification and memory on a very large file.
#
# Usage: bash bench/run.sh
#   COFFER=<binary>       use this coffer instead of publishing one (NativeAOT, linux-x64)
#   SIZE_MB=<n>           size of the large random file in MiB (default 1024)
#   N=<n>                 runs per measurement (default 3; 0 with BIG_GB runs the memory run alone)
#   MANY_FILES=<n>        files in the many-files push (default 100), each FILE_KB KiB (default 64)
#   MANY_BLOBS=<n>        files in the many-blobs pull (default 20), each BLOB_KB KiB (default 1024)
#   BIG_GB=<n>            also push and pull one file of n GiB once, coffer and curl (memory run)
#   STORAGE=disk|ram      where the registry stores blobs for the runs of N: the temp folder
#                         (default) or a tmpfs folder under /dev/shm; the BIG_GB run always uses disk
#   COFFER_SIGSTORE_VECTORS=<dir>
#                         time verify-blob of the public-good happy-path bundle from this folder
#                         (the Sigstore conformance vectors); left out when unset
#
# Every measurement runs under /usr/bin/time -v (max RSS of the client); wall times come from the
# shell's microsecond clock around it, so they include starting /usr/bin/time itself (about 1 ms).
# version and verify-blob take a few ms, so they are timed alone, without /usr/bin/time.
# The request count is the number of access-log lines the registry wrote to its stdout during the
# run. The registry is restarted with empty storage before every push, and skopeo's blob-info cache
# is deleted before every skopeo run, so no tool can skip an upload. The input files are read once
# beforehand, so the page cache is warm. The script prints a Markdown report and writes nothing
# outside its temp folder, which it removes on exit.
#
# Operations:
#   coffer  push <ref> <file> / pull <ref> -o <dir>; version; verify-blob
#   skopeo  copy oci:<layout> docker://<ref> (--dest-tls-verify=false) and back into a new layout
#   tls     the state file again, pushed and pulled over TLS (a CA made for the run: coffer
#           --ca-file, skopeo --dest-cert-dir / --src-cert-dir), as registries are reached outside
#           a bench
#   curl    upload: POST /blobs/uploads/, then PUT -T <file> <location>&digest=...
#           download: GET the blob | tee <file> | openssl dgst -sha256 (one hashing pass)
set -euo pipefail

SIZE_MB=${SIZE_MB:-1024}
N=${N:-3}
MANY_FILES=${MANY_FILES:-100}
FILE_KB=${FILE_KB:-64}
MANY_BLOBS=${MANY_BLOBS:-20}
BLOB_KB=${BLOB_KB:-1024}
BIG_GB=${BIG_GB:-}
STORAGE=${STORAGE:-disk}
VECTORS=${COFFER_SIGSTORE_VECTORS:-}
readonly SIZE_MB N MANY_FILES FILE_KB MANY_BLOBS BLOB_KB BIG_GB STORAGE VECTORS
readonly SKOPEO_CACHE=/var/lib/containers/cache/blob-info-cache-v1.boltdb

fail() {
  printf 'FAIL: %s\n' "$*" >&2
  exit 1
}
log() { printf '  %s\n' "$*" >&2; }

[[ "$SIZE_MB" =~ ^[1-9][0-9]*$ ]] || fail "SIZE_MB must be a positive whole number of MiB"
[[ "$N" =~ ^[0-9]+$ ]] || fail "N must be a whole number"
for name in MANY_FILES FILE_KB MANY_BLOBS BLOB_KB; do
  [[ "${!name}" =~ ^[1-9][0-9]*$ ]] || fail "$name must be a positive whole number"
done
[ "$N" -gt 0 ] || [ -n "$BIG_GB" ] || fail "N=0 measures nothing unless BIG_GB is set"
[ -z "$BIG_GB" ] || [[ "$BIG_GB" =~ ^[1-9][0-9]*$ ]] || fail "BIG_GB must be a positive whole number of GiB"
[[ "$STORAGE" =~ ^(disk|ram)$ ]] || fail "STORAGE must be disk or ram"
vector=""
if [ -n "$VECTORS" ]; then
  vector="$VECTORS/conformance/happy-path-v0.3"
  [ -f "$vector/bundle.sigstore.json" ] && [ -f "$vector/case.json" ] ||
    fail "COFFER_SIGSTORE_VECTORS=$VECTORS has no conformance/happy-path-v0.3 bundle"
  command -v jq >/dev/null 2>&1 ||
    fail "jq is not installed (apt-get install jq); the vector's policy is read with it"
fi
for tool in docker-registry skopeo curl openssl /usr/bin/time; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is not installed (apt-get install docker-registry skopeo curl openssl time)"
done

registry_pid=""
work=""
ram_storage=""
stop_registry() {
  if [ -n "$registry_pid" ] && kill -0 "$registry_pid" 2>/dev/null; then
    kill "$registry_pid" 2>/dev/null || true
    wait "$registry_pid" 2>/dev/null || true
  fi
  registry_pid=""
}
cleanup() {
  local status=$?
  stop_registry
  [ -n "$work" ] && [ -d "$work" ] && rm -rf -- "$work"
  [ -n "$ram_storage" ] && [ -d "$ram_storage" ] && rm -rf -- "$ram_storage"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/coffer-bench.XXXXXXXX")
mkdir -p "$work"/{registry,src,out,logs,tmp}

# On disk, distribution fsyncs every blob, link and tag file it writes, several per push at a few
# ms each on this kind of VM; that time is the same for every client and can hide the clients' own.
# In RAM the registry still does all its work, without the waits for the disk.
storage="$work/registry/storage"
if [ "$STORAGE" = ram ] && [ "$N" -gt 0 ]; then
  free_mb=$(df -Pm /dev/shm 2>/dev/null | awk 'NR == 2 {print $4}')
  [ -n "$free_mb" ] && [ "$free_mb" -gt $((SIZE_MB * 3 + 512)) ] ||
    fail "/dev/shm has ${free_mb:-no} MiB free, too little for SIZE_MB=$SIZE_MB in RAM; use STORAGE=disk"
  ram_storage=$(mktemp -d /dev/shm/coffer-bench-storage.XXXXXXXX)
  storage=$ram_storage
fi

# --- coffer ---------------------------------------------------------------------------------
if [ -n "${COFFER:-}" ]; then
  case "$COFFER" in
    /*) coffer=$COFFER ;;
    *) coffer="$PWD/$COFFER" ;;
  esac
  [ -f "$coffer" ] && [ -x "$coffer" ] || fail "COFFER=$COFFER is not an executable file"
else
  command -v dotnet >/dev/null 2>&1 || fail "dotnet is not on PATH; install the SDK or set COFFER"
  log "publishing coffer (dotnet publish src/Coffer.Cli -c Release -r linux-x64 -o <tmp>/bin)"
  if ! (cd "$repo_root" && dotnet publish src/Coffer.Cli -c Release -r linux-x64 -o "$work/bin" -nologo) \
    >"$work/logs/publish.log" 2>&1; then
    tail -n 30 "$work/logs/publish.log" >&2
    fail "dotnet publish failed"
  fi
  coffer="$work/bin/coffer"
fi

# --- the registry (no auth, 127.0.0.1 only) -------------------------------------------------
cat >"$work/registry/config.yml" <<EOF
version: 0.1
log:
  level: warn
  formatter: text
storage:
  filesystem:
    rootdirectory: $work/registry/storage   # replaced by REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY
  delete:
    enabled: true
  cache:
    blobdescriptor: inmemory
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: 127.0.0.1:5000
  secret: $(head -c 16 /dev/urandom | base64 | tr -d '\n')
EOF

# The same registry over TLS, with a certificate from a CA made for this run.
mkdir -p "$work/tls/certs.d"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=coffer bench CA" \
  -keyout "$work/tls/ca.key" -out "$work/tls/ca.crt" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=127.0.0.1" \
  -keyout "$work/tls/server.key" -out "$work/tls/server.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\n' >"$work/tls/san.cnf"
openssl x509 -req -in "$work/tls/server.csr" -CA "$work/tls/ca.crt" -CAkey "$work/tls/ca.key" -CAcreateserial \
  -days 2 -extfile "$work/tls/san.cnf" -out "$work/tls/server.crt" 2>/dev/null
cp "$work/tls/ca.crt" "$work/tls/certs.d/ca.crt"
{
  cat "$work/registry/config.yml"
  printf '  tls:\n    certificate: %s\n    key: %s\n' "$work/tls/server.crt" "$work/tls/server.key"
} >"$work/registry/config-tls.yml"
registry_config="$work/registry/config.yml"
scheme=http

access_log="$work/logs/registry-access.log"
: >"$access_log"

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
v2_status() {
  curl -s -o /dev/null -w '%{http_code}' --max-time 2 --cacert "$work/tls/ca.crt" "$scheme://127.0.0.1:$1/v2/" ||
    true
}

# Starts the registry on $1 with empty storage; the access log (stdout) is appended to one file.
start_registry() {
  local candidate=$1
  rm -rf -- "$storage" "$work/registry/tmp"
  mkdir -p "$storage" "$work/registry/tmp"
  REGISTRY_HTTP_ADDR="127.0.0.1:$candidate" TMPDIR="$work/registry/tmp" \
    REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY="$storage" \
    docker-registry serve "$registry_config" >>"$access_log" 2>>"$work/logs/registry.log" &
  registry_pid=$!
  for _ in $(seq 1 100); do
    kill -0 "$registry_pid" 2>/dev/null || return 1
    [ "$(v2_status "$candidate")" = 200 ] && return 0
    sleep 0.1
  done
  return 1
}

port=""
for _ in $(seq 1 20); do
  candidate=$((20000 + RANDOM % 40000))
  port_in_use "$candidate" && continue
  if start_registry "$candidate"; then
    port=$candidate
    break
  fi
  stop_registry
done
[ -n "$port" ] || { tail -n 20 "$work/logs/registry.log" >&2; fail "docker-registry did not start on a free port"; }
registry="127.0.0.1:$port"
log "docker-registry on $registry"

# fresh_registry [tls]: restarts the registry with empty storage, over TLS when asked.
fresh_registry() {
  if [ "${1:-}" = tls ]; then
    registry_config="$work/registry/config-tls.yml" scheme=https
  else
    registry_config="$work/registry/config.yml" scheme=http
  fi
  stop_registry
  start_registry "$port" || { tail -n 20 "$work/logs/registry.log" >&2; fail "docker-registry did not restart"; }
}

# --- inputs ---------------------------------------------------------------------------------
# state.json: about 60 KB of JSON.
{
  printf '{\n  "version": 4,\n  "serial": 42,\n  "lineage": "%s",\n  "resources": [\n' \
    "$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  for i in $(seq 1 400); do
    printf '    { "type": "bucket", "name": "artifacts-%04d", "region": "eu-west-1", "id": "%s" },\n' \
      "$i" "$(printf '%s' "$i" | sha256sum | cut -c1-64)"
  done
  printf '    { "type": "queue", "name": "builds", "retention_days": 7 }\n  ]\n}\n'
} >"$work/src/state.json"
head -c "$((SIZE_MB * 1024 * 1024))" /dev/urandom >"$work/src/large.bin"
small_bytes=$(stat -c %s "$work/src/state.json")
log "state.json $small_bytes bytes; large.bin $SIZE_MB MiB"

declare -A file_of=([small]="$work/src/state.json" [large]="$work/src/large.bin")
declare -A digest_of size_of
for kind in small large; do
  digest_of[$kind]="sha256:$(openssl dgst -sha256 -r "${file_of[$kind]}" | cut -d' ' -f1)"
  size_of[$kind]=$(stat -c %s "${file_of[$kind]}")
done

# An OCI layout per file for skopeo: the file as the one layer, the empty config, as coffer pushes.
empty_digest="sha256:$(printf '{}' | openssl dgst -sha256 -r | cut -d' ' -f1)"
for kind in small large; do
  layout="$work/oci-$kind"
  mkdir -p "$layout/blobs/sha256"
  printf '{"imageLayoutVersion":"1.0.0"}' >"$layout/oci-layout"
  printf '{}' >"$layout/blobs/sha256/${empty_digest#sha256:}"
  ln "${file_of[$kind]}" "$layout/blobs/sha256/${digest_of[$kind]#sha256:}"
  manifest=$(printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":"application/vnd.example.bench.v1","config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"%s","size":2},"layers":[{"mediaType":"application/octet-stream","digest":"%s","size":%s,"annotations":{"org.opencontainers.image.title":"%s"}}]}' \
    "$empty_digest" "${digest_of[$kind]}" "${size_of[$kind]}" "${file_of[$kind]##*/}")
  manifest_digest="sha256:$(printf '%s' "$manifest" | openssl dgst -sha256 -r | cut -d' ' -f1)"
  printf '%s' "$manifest" >"$layout/blobs/sha256/${manifest_digest#sha256:}"
  printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"v1"}}]}' \
    "$manifest_digest" "${#manifest}" >"$layout/index.json"
done
# Many small files for the concurrency runs: MANY_FILES to push at once, MANY_BLOBS to pull at once.
mkdir -p "$work/many" "$work/blobs"
for i in $(seq -w 1 "$MANY_FILES"); do head -c "$((FILE_KB * 1024))" /dev/urandom >"$work/many/f$i.bin"; done
for i in $(seq -w 1 "$MANY_BLOBS"); do head -c "$((BLOB_KB * 1024))" /dev/urandom >"$work/blobs/b$i.bin"; done

# Written out to disk, so no run competes with flushing the inputs, and read once into the page cache.
sync -- "${file_of[small]}" "${file_of[large]}" "$work"/many/* "$work"/blobs/*
cat "${file_of[small]}" "${file_of[large]}" "$work"/many/* "$work"/blobs/* >/dev/null

# --- measuring ------------------------------------------------------------------------------
results="$work/results.tsv"
: >"$results"

# measure <op> <tool> <run> <command...>: one timed run; appends op, tool, wall ms (shell clock),
# max RSS KiB and requests to the results. A failing command fails the benchmark.
measure() {
  local op=$1 tool=$2 run=$3
  shift 3
  local tf="$work/logs/time.txt" before after status=0
  before=$(wc -l <"$access_log")
  local t0=$EPOCHREALTIME
  /usr/bin/time -v -o "$tf" "$@" >"$work/logs/cmd.out" 2>"$work/logs/cmd.err" || status=$?
  local t1=$EPOCHREALTIME
  sleep 0.2 # let the registry write the access-log line of the last response
  after=$(wc -l <"$access_log")
  if [ "$status" -ne 0 ]; then
    cat "$work/logs/cmd.out" "$work/logs/cmd.err" >&2
    fail "$op with $tool (run $run) exited with status $status: $*"
  fi
  local ms rss
  ms=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", (b - a) * 1000}')
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tf")
  printf '%s\t%s\t%s\t%s\t%s\n' "$op" "$tool" "$ms" "$rss" "$((after - before))" >>"$results"
  log "$(printf '%-16s %-9s run %s: %9.1f ms  %7.1f MiB  %s requests' "$op" "$tool" "$run" "$ms" \
    "$(awk -v k="$rss" 'BEGIN {print k / 1024}')" "$((after - before))")"
}

# measure_quick <op> <tool> <run> <command...>: as measure, for commands of a few ms: the command
# runs directly under the shell clock, without /usr/bin/time (whose own start would count), and
# no RSS is recorded.
measure_quick() {
  local op=$1 tool=$2 run=$3
  shift 3
  local status=0 t0 t1 ms
  t0=$EPOCHREALTIME
  "$@" >"$work/logs/cmd.out" 2>"$work/logs/cmd.err" || status=$?
  t1=$EPOCHREALTIME
  if [ "$status" -ne 0 ]; then
    cat "$work/logs/cmd.out" "$work/logs/cmd.err" >&2
    fail "$op with $tool (run $run) exited with status $status: $*"
  fi
  ms=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", (b - a) * 1000}')
  printf '%s\t%s\t%s\t0\t0\n' "$op" "$tool" "$ms" >>"$results"
  log "$(printf '%-16s %-9s run %s: %9.1f ms' "$op" "$tool" "$run" "$ms")"
}

forget_skopeo_cache() { rm -f -- "$SKOPEO_CACHE"; }

curl_upload() { # <repo> <file> <digest>
  local location
  location=$(curl -sf -D - -o /dev/null -X POST "http://$registry/v2/$1/blobs/uploads/" |
    tr -d '\r' | sed -n 's/^[Ll]ocation: //p')
  [ -n "$location" ] || return 1
  case "$location" in /*) location="http://$registry$location" ;; esac
  case "$location" in *\?*) location="$location&digest=$3" ;; *) location="$location?digest=$3" ;; esac
  curl -sf -o /dev/null -T "$2" "$location"
}
curl_download() { # <repo> <digest> <out> <expected digest>
  local got
  got=$(curl -sf "http://$registry/v2/$1/blobs/$2" | tee "$3" | openssl dgst -sha256 -r | cut -d' ' -f1)
  [ "sha256:$got" = "$4" ]
}
export -f curl_upload curl_download
export registry

# Pulls <ref> into a fresh folder with the given flags and checks every file against its source.
coffer_pull_many() { # <op> <tool> <run> <ref> <source dir> [flags...]
  local op=$1 tool=$2 run=$3 ref=$4 source=$5
  shift 5
  local out="$work/out/$tool-$run"
  rm -rf -- "$out"
  measure "$op" "$tool" "$run" "$coffer" pull --plain-http "$@" "$ref" -o "$out"
  diff -rq "$source" "$out" >/dev/null || fail "coffer pulled different files for $op"
  rm -rf -- "$out"
}

if [ -n "$vector" ]; then
  identity=$(jq -r .policy.certificate_identity "$vector/case.json")
  issuer=$(jq -r .policy.certificate_oidc_issuer "$vector/case.json")
  artifact="$vector/$(jq -r .artifact "$vector/case.json")"
fi

for run in $(seq 1 "$N"); do
  log "run $run of $N"
  # Start-up and offline verification: a few ms each, so several tries per run, every one counted.
  for _ in 1 2 3; do
    measure_quick "version" coffer "$run" "$coffer" version
    if [ -n "$vector" ]; then
      measure_quick "verify-blob" coffer "$run" "$coffer" verify-blob "$artifact" \
        --bundle "$vector/bundle.sigstore.json" --certificate-identity "$identity" --certificate-oidc-issuer "$issuer"
    fi
  done

  for kind in small large; do
    file=${file_of[$kind]}
    digest=${digest_of[$kind]}

    fresh_registry
    cd "$work/src" # coffer names the layer after the path as given
    measure "push $kind" coffer "$run" "$coffer" push --plain-http "$registry/bench/coffer-$kind:v1" "${file##*/}"
    cd "$repo_root"
    out="$work/out/coffer-$kind-$run"
    mkdir -p "$out"
    measure "pull $kind" coffer "$run" "$coffer" pull --plain-http "$registry/bench/coffer-$kind:v1" -o "$out"
    cmp -s "$file" "$out/${file##*/}" || fail "coffer pulled a different $kind file"
    rm -rf -- "$out"

    fresh_registry
    forget_skopeo_cache
    measure "push $kind" skopeo "$run" env TMPDIR="$work/tmp" skopeo copy --dest-tls-verify=false \
      "oci:$work/oci-$kind:v1" "docker://$registry/bench/skopeo-$kind:v1"
    forget_skopeo_cache
    out="$work/out/skopeo-$kind-$run"
    measure "pull $kind" skopeo "$run" env TMPDIR="$work/tmp" skopeo copy --src-tls-verify=false \
      "docker://$registry/bench/skopeo-$kind:v1" "oci:$out:v1"
    cmp -s "$file" "$out/blobs/sha256/${digest#sha256:}" || fail "skopeo pulled a different $kind file"
    rm -rf -- "$out"

    fresh_registry
    measure "push $kind" curl "$run" bash -c 'curl_upload "$@"' _ "bench/curl-$kind" "$file" "$digest"
    out="$work/out/curl-$kind-$run"
    measure "pull $kind" curl "$run" bash -c 'curl_download "$@"' _ "bench/curl-$kind" "$digest" "$out" "$digest"
    cmp -s "$file" "$out" || fail "curl downloaded a different $kind file"
    rm -f -- "$out"
  done

  # The state file over TLS. The registry's blobs are the same; the clients' TLS set-up is not.
  fresh_registry tls
  cd "$work/src"
  measure "push tls" coffer "$run" "$coffer" push --ca-file "$work/tls/ca.crt" \
    "$registry/bench/coffer-tls:v1" state.json
  cd "$repo_root"
  out="$work/out/coffer-tls-$run"
  measure "pull tls" coffer "$run" "$coffer" pull --ca-file "$work/tls/ca.crt" "$registry/bench/coffer-tls:v1" \
    -o "$out"
  cmp -s "${file_of[small]}" "$out/state.json" || fail "coffer pulled a different state file over TLS"
  rm -rf -- "$out"
  fresh_registry tls
  forget_skopeo_cache
  measure "push tls" skopeo "$run" env TMPDIR="$work/tmp" skopeo copy --dest-cert-dir "$work/tls/certs.d" \
    "oci:$work/oci-small:v1" "docker://$registry/bench/skopeo-tls:v1"
  forget_skopeo_cache
  out="$work/out/skopeo-tls-$run"
  measure "pull tls" skopeo "$run" env TMPDIR="$work/tmp" skopeo copy --src-cert-dir "$work/tls/certs.d" \
    "docker://$registry/bench/skopeo-tls:v1" "oci:$out:v1"
  cmp -s "${file_of[small]}" "$out/blobs/sha256/${digest_of[small]#sha256:}" ||
    fail "skopeo pulled a different state file over TLS"
  rm -rf -- "$out"

  # Many blobs at once, default concurrency against one at a time; the order alternates per run.
  cd "$work/many"
  for concurrency in $([ $((run % 2)) = 1 ] && echo "default 1" || echo "1 default"); do
    fresh_registry
    flags=()
    [ "$concurrency" = default ] || flags=(--concurrency 1)
    measure "push many" "c-$concurrency" "$run" "$coffer" push --plain-http "${flags[@]}" \
      "$registry/bench/many:v1" ./*.bin
  done
  cd "$work/blobs"
  fresh_registry
  "$coffer" push --plain-http "$registry/bench/blobs:v1" ./*.bin >/dev/null
  cd "$repo_root"
  for concurrency in $([ $((run % 2)) = 1 ] && echo "default 1" || echo "1 default"); do
    flags=()
    [ "$concurrency" = default ] || flags=(--concurrency 1)
    coffer_pull_many "pull many" "c-$concurrency" "$run" "$registry/bench/blobs:v1" "$work/blobs" "${flags[@]}"
  done
done

# One very large file, once: coffer's memory stays flat however large the blob.
if [ -n "$BIG_GB" ]; then
  rm -f -- "${file_of[large]}" "$work/oci-large/blobs/sha256/${digest_of[large]#sha256:}"
  big="$work/src/big.bin"
  [ -z "$ram_storage" ] || rm -rf -- "$ram_storage"
  storage="$work/registry/storage"
  log "writing a $BIG_GB GiB file"
  head -c "$((BIG_GB * 1024 * 1024 * 1024))" /dev/urandom >"$big"
  sync -- "$big"
  big_digest="sha256:$(openssl dgst -sha256 -r "$big" | cut -d' ' -f1)"
  fresh_registry
  cd "$work/src"
  measure "push big" coffer 1 "$coffer" push --plain-http "$registry/bench/coffer-big:v1" big.bin
  cd "$repo_root"
  measure "pull big" coffer 1 "$coffer" pull --plain-http "$registry/bench/coffer-big:v1" -o "$work/out/big"
  cmp -s "$big" "$work/out/big/big.bin" || fail "coffer pulled a different big file"
  rm -rf -- "$work/out/big"
  fresh_registry
  measure "push big" curl 1 bash -c 'curl_upload "$@"' _ "bench/curl-big" "$big" "$big_digest"
  measure "pull big" curl 1 bash -c 'curl_download "$@"' _ "bench/curl-big" "$big_digest" "$work/out/big.bin" \
    "$big_digest"
  rm -f -- "$work/out/big.bin" "$big"
fi
stop_registry

# --- report ---------------------------------------------------------------------------------
# values <op> <tool> <column>: the values of one column (3 wall ms, 4 RSS KiB, 5 requests), sorted.
values() { awk -F'\t' -v op="$1" -v tool="$2" -v c="$3" '$1 == op && $2 == tool {print $c}' "$results" | sort -g; }
median() { values "$@" | awk '{v[NR] = $1} END {if (NR) print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2)}'; }
# cell <op> <tool> <column> <scale> <format>: "median (min–max)", or "—" when not measured.
cell() {
  values "$1" "$2" "$3" | awk -v s="$4" -v f="$5" '{v[NR] = $1 / s}
    END {if (!NR) {print "—"; exit}
      m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
      if (v[1] == v[NR]) printf f, m; else printf f " (" f "–" f ")", m, v[1], v[NR]}'
}
# ratio <op> <tool a> <tool b> <column>: median(a) / median(b), or "—".
ratio() {
  local a b
  a=$(median "$1" "$2" "$4")
  b=$(median "$1" "$3" "$4")
  [ -n "$a" ] && [ -n "$b" ] || { printf '—'; return; }
  awk -v a="$a" -v b="$b" 'BEGIN {if (b == 0) print "—"; else printf "%.2f", a / b}'
}
# goal <text> <value> <op: le|lt|ge> <bound>: one line of the goals list.
goal() {
  [ -n "$2" ] && [ "$2" != "—" ] || { printf -- '- %s: not measured\n' "$1"; return; }
  local met
  met=$(awk -v v="$2" -v b="$4" -v o="$3" 'BEGIN {
    ok = (o == "le") ? v <= b : (o == "lt") ? v < b : v >= b; print ok ? "met" : "NOT met"}')
  printf -- '- %s: %s (%s)\n' "$1" "$2" "$met"
}

model=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
memory=$(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
binary_bytes=$(stat -c %s "$coffer")

label() {
  case "$1" in
    small) printf 'state.json %s KB' "$((small_bytes / 1000))" ;;
    large) printf '%s MiB' "$SIZE_MB" ;;
    big) printf '%s GiB' "$BIG_GB" ;;
    tls) printf 'state.json %s KB over TLS' "$((small_bytes / 1000))" ;;
  esac
}

{
  printf '\n## Coffer vs skopeo vs curl, docker-registry on 127.0.0.1\n\n'
  printf -- '- date: %s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
  printf -- '- machine: %s cores, %s, %s RAM; load average before the report: %s\n' "$(nproc)" \
    "${model:-unknown CPU}" "$memory" "$(cut -d' ' -f1-3 /proc/loadavg)"
  printf -- '- coffer: %s\n' "$("$coffer" version 2>&1 | head -n 1)"
  printf -- '- skopeo: %s\n' "$(skopeo --version 2>&1 | head -n 1)"
  printf -- '- curl: %s\n' "$(curl --version | head -n 1 | cut -d' ' -f1-2)"
  printf -- '- registry: %s\n' "$(docker-registry --version 2>&1 | head -n 1)"
  printf -- '- registry storage: %s%s\n' \
    "$([ "$STORAGE" = ram ] && echo 'RAM (tmpfs under /dev/shm)' || echo 'disk (the temp folder)')" \
    "$([ -n "$BIG_GB" ] && echo "; the $BIG_GB GiB run on disk" || true)"
  printf -- '- coffer NativeAOT binary: %s bytes (%.1f MiB)\n' "$binary_bytes" \
    "$(awk -v b="$binary_bytes" 'BEGIN {print b / 1048576}')"
  printf -- '- %s runs each (version and verify-blob: 3 per run); median (min–max). Wall from the shell clock\n' "$N"
  printf '  around /usr/bin/time -v (version and verify-blob: around the command alone), max RSS from\n'
  printf '  /usr/bin/time; requests = access-log lines of the registry during the run. Registry restarted\n'
  printf '  with empty storage before every push; skopeo blob-info cache deleted before every skopeo run.\n'
  printf '  curl push = POST + PUT -T; curl pull = GET | tee file | openssl dgst -sha256.\n\n'

  printf '| operation | metric | coffer | skopeo | curl | coffer/skopeo | coffer/curl |\n'
  printf '|---|---|---|---|---|---|---|\n'
  for op in "push small" "pull small" "push tls" "pull tls" "push large" "pull large"; do
    kind=${op#* }
    name="${op% *} $(label "$kind")"
    printf '| %s | wall ms | %s | %s | %s | %s | %s |\n' "$name" \
      "$(cell "$op" coffer 3 1 '%.0f')" "$(cell "$op" skopeo 3 1 '%.0f')" "$(cell "$op" curl 3 1 '%.0f')" \
      "$(ratio "$op" coffer skopeo 3)" "$(ratio "$op" coffer curl 3)"
    printf '| %s | max RSS MiB | %s | %s | %s | %s | %s |\n' "$name" \
      "$(cell "$op" coffer 4 1024 '%.1f')" "$(cell "$op" skopeo 4 1024 '%.1f')" "$(cell "$op" curl 4 1024 '%.1f')" \
      "$(ratio "$op" coffer skopeo 4)" "$(ratio "$op" coffer curl 4)"
    printf '| %s | requests | %s | %s | %s | %s | %s |\n' "$name" \
      "$(cell "$op" coffer 5 1 '%g')" "$(cell "$op" skopeo 5 1 '%g')" "$(cell "$op" curl 5 1 '%g')" \
      "$(ratio "$op" coffer skopeo 5)" "$(ratio "$op" coffer curl 5)"
  done
  if [ -n "$BIG_GB" ]; then
    for op in "push big" "pull big"; do
      name="${op% *} $(label big) (1 run)"
      printf '| %s | wall ms | %s | — | %s | — | %s |\n' "$name" \
        "$(cell "$op" coffer 3 1 '%.0f')" "$(cell "$op" curl 3 1 '%.0f')" "$(ratio "$op" coffer curl 3)"
      printf '| %s | max RSS MiB | %s | — | %s | — | %s |\n' "$name" \
        "$(cell "$op" coffer 4 1024 '%.1f')" "$(cell "$op" curl 4 1024 '%.1f')" "$(ratio "$op" coffer curl 4)"
    done
  fi
  printf '| coffer version | wall ms | %s | — | — | — | — |\n' "$(cell version coffer 3 1 '%.1f')"
  if [ -n "$vector" ]; then
    printf '| coffer verify-blob (public-good bundle) | wall ms | %s | — | — | — | — |\n' \
      "$(cell verify-blob coffer 3 1 '%.1f')"
  fi

  printf '\n| coffer, many blobs | metric | default concurrency | --concurrency 1 | speedup |\n'
  printf '|---|---|---|---|---|\n'
  for op in "push many" "pull many"; do
    if [ "$op" = "push many" ]; then
      name="push $MANY_FILES files of $FILE_KB KiB"
    else
      name="pull $MANY_BLOBS files of $BLOB_KB KiB"
    fi
    printf '| %s | wall ms | %s | %s | %s |\n' "$name" "$(cell "$op" c-default 3 1 '%.0f')" \
      "$(cell "$op" c-1 3 1 '%.0f')" "$(ratio "$op" c-1 c-default 3)"
    printf '| %s | requests | %s | %s | |\n' "$name" "$(cell "$op" c-default 5 1 '%g')" "$(cell "$op" c-1 5 1 '%g')"
  done

  printf '\n### Goals\n\n'
  goal "push small, requests (5 + ping is the protocol's least; see README)" "$(median "push small" coffer 5)" le 5
  goal "push small, wall coffer/skopeo ≤ 0.5" "$(ratio "push small" coffer skopeo 3)" le 0.5
  goal "pull small, wall coffer/skopeo ≤ 0.5" "$(ratio "pull small" coffer skopeo 3)" le 0.5
  goal "push $(label tls), wall coffer/skopeo ≤ 0.5" "$(ratio "push tls" coffer skopeo 3)" le 0.5
  goal "pull $(label tls), wall coffer/skopeo ≤ 0.5" "$(ratio "pull tls" coffer skopeo 3)" le 0.5
  goal "push $(label large), wall coffer/curl ≤ 1.1" "$(ratio "push large" coffer curl 3)" le 1.1
  goal "pull $(label large), wall coffer/(curl + SHA-256) ≤ 2" "$(ratio "pull large" coffer curl 3)" le 2
  goal "pull $(label large), coffer max RSS MiB < 64" "$(awk -v k="$(median "pull large" coffer 4)" \
    'BEGIN {if (k != "") printf "%.1f", k / 1024}')" lt 64
  if [ -n "$BIG_GB" ]; then
    goal "push and pull $(label big), coffer max RSS MiB < 64" "$({ values "push big" coffer 4
      values "pull big" coffer 4; } | sort -g | tail -n 1 | awk '{printf "%.1f", $1 / 1024}')" lt 64
  fi
  goal "push $MANY_FILES files, default over --concurrency 1 ≥ 2" "$(ratio "push many" c-1 c-default 3)" ge 2
  goal "pull $MANY_BLOBS files, default over --concurrency 1 ≥ 2" "$(ratio "pull many" c-1 c-default 3)" ge 2
  goal "coffer version, wall ms < 10" "$(median version coffer 3)" lt 10
  [ -z "$vector" ] || goal "verify-blob, wall ms < 50" "$(median verify-blob coffer 3)" lt 50
}
