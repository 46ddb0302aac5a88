"""The in-pod helper: how outputs leave a pod with any image, using only a public helper image.

A pod that must report outputs (``outputs.result``, output parameters read from files) or run a
containerSet with ``dependencies``/``retryStrategy`` gets:

* an init container ``argoctl-init`` (the helper image, BusyBox by default) that copies a few
  static programs (``sh cat tee sleep wc tail mkfifo``: one BusyBox binary and links) into the
  ``argoctl`` emptyDir at ``/.argoctl/bin``, and writes a script template's ``source`` to
  ``/argo/staging/script`` (Argo's path; volume ``argoctl-staging``), and unpacks the input
  artifacts the driver staged (``inputs/<name>``, a gzipped tar in ``ARGOCTL_INPUTS``, base64),
  which are mounted into the main containers at their paths, as Argo's init container does;
* the main container's command wrapped: ``/.argoctl/bin/sh -c WRAPPER argoctl <argv>``.
  The wrapper runs the user's argv as a child (signals forwarded), tees its stdout to a file when
  the result is wanted, records the exit code for containerSet dependents (the reporter of a
  containerSet waits for every other member's, as Argo's wait container does), then writes an
  *outputs bundle* (exit code, every parameter file, the last 256 KiB of stdout, and each output
  artifact's file or directory as a gzipped tar in base64) to the termination message when it
  fits in 4000 bytes, and always to ``/.argoctl/ctr/outputs``;
* a native sidecar ``argoctl-outputs`` (init container with ``restartPolicy: Always``), which
  the kubelet stops once the main containers have exited: on SIGTERM it prints the bundle file,
  so a bundle too large for the termination message (4 KiB per container, 12 KiB per pod) is read
  from that container's log instead.

The image's own shell is never used: the wrapper runs on the copied BusyBox, at a private path
that is never put on the PATH, and the user's argv is exec'd as given: its program is looked up
on the container's PATH by the wrapper and run by absolute path, because BusyBox's shell would
otherwise run its own applet of that name (``sh``, ``date``...) whatever the image holds. A bundle is framed by a per-pod ``nonce``: sections start with a line
``@@<nonce> <kind> [name]`` preceded by a newline that is not part of the previous section.
Every ``$`` in text the kubelet expands (command, args, env values) is doubled, so Kubernetes'
``$(VAR)`` expansion leaves it exactly as written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

HELPER_DIR = "/.argoctl"
HELPER_BIN = f"{HELPER_DIR}/bin"
HELPER_VOLUME = "argoctl"
STAGING_DIR = "/argo/staging"
STAGING_VOLUME = "argoctl-staging"
SCRIPT_PATH = f"{STAGING_DIR}/script"
INPUTS_VOLUME = "argoctl-inputs"
INIT_CONTAINER = "argoctl-init"
OUTPUTS_CONTAINER = "argoctl-outputs"
TERMINATION_LOG = "/dev/termination-log"
TOOLS = ("sh", "cat", "tee", "sleep", "wc", "tail", "mkfifo", "tar", "gzip", "base64")
MESSAGE_BUDGET = 4000  # bytes of bundle written to the termination message (the kubelet keeps 4096)
RESULT_TAIL = 256 * 1024
SKIPPED_PREFIX = "argoctl: "  # termination message of a containerSet member that never ran

INIT_SCRIPT = r"""set -e
d=${ARGOCTL_DIR:-/.argoctl}
mkdir -p "$d/bin" "$d/ctr"
chmod 0777 "$d" "$d/ctr"
if [ -n "${ARGOCTL_TOOLS:-}" ]; then
  if [ -x /bin/busybox ]; then
    cp /bin/busybox "$d/bin/busybox"
    for t in $ARGOCTL_TOOLS; do ln -s busybox "$d/bin/$t"; done
  else
    for t in $ARGOCTL_TOOLS; do cp "$(command -v "$t")" "$d/bin/$t"; done
  fi
fi
i=0
while [ "$i" -lt "${ARGOCTL_FILES:-0}" ]; do
  eval "p=\$ARGOCTL_FILE_${i}_PATH; m=\$ARGOCTL_FILE_${i}_MODE; v=\$ARGOCTL_FILE_${i}"
  mkdir -p "$(dirname "$p")"
  printf '%s' "$v" > "$p"
  chmod "$m" "$p"
  i=$((i + 1))
done
s=${ARGOCTL_STAGING:-/argo/staging}
if [ -n "${ARGOCTL_INPUTS:-}" ]; then
  mkdir -p "$s"
  printf '%s' "$ARGOCTL_INPUTS" | base64 -d | gzip -dc | tar -xf - -C "$s"
elif [ -n "${ARGOCTL_INPUT_PARTS:-}" ]; then
  mkdir -p "$s"
  cat "$d/inputs"/part-* | gzip -dc | tar -xf - -C "$s"
fi
"""

WRAPPER_SCRIPT = """d=${ARGOCTL_DIR:-/.argoctl}; b=$d/bin; x=$d/ctr
n=${ARGOCTL_NAME:-main}; cap=${ARGOCTL_CAPTURE:-}; k=${ARGOCTL_REPORT:-}; deps=${ARGOCTL_DEPS:-}
tries=${ARGOCTL_RETRIES:-0}; delay=${ARGOCTL_RETRY_DELAY:-0}; outs=${ARGOCTL_OUTPUTS:-}
arts=${ARGOCTL_ARTIFACTS:-}; term=${ARGOCTL_TERMINATION:-/dev/termination-log}; awaits=${ARGOCTL_AWAIT:-}
unset ARGOCTL_NAME ARGOCTL_CAPTURE ARGOCTL_REPORT ARGOCTL_DEPS ARGOCTL_RETRIES ARGOCTL_RETRY_DELAY
unset ARGOCTL_OUTPUTS ARGOCTL_ARTIFACTS ARGOCTL_TERMINATION ARGOCTL_DIR ARGOCTL_AWAIT
exec 3<&0
c=; t=; rc=0; stop=
trap 'stop=1; if [ -n "$c" ]; then kill -TERM "$c" 2>/dev/null; fi' TERM INT HUP
for dep in $deps; do
  while [ ! -s "$x/$dep.rc" ]; do
    if [ -n "$stop" ]; then exit 143; fi
    "$b/sleep" 0.1
  done
  if [ "$("$b/cat" "$x/$dep.rc")" != 0 ]; then
    printf skip > "$x/$n.rc"
    printf "argoctl: dependency '%s' did not succeed" "$dep" > "$term"
    exit 0
  fi
done
run() {
  t=
  if [ -n "$cap" ]; then
    [ -p "$x/$n.fifo" ] || "$b/mkfifo" "$x/$n.fifo"
    "$b/tee" "$x/$n.stdout" < "$x/$n.fifo" &
    t=$!
    "$@" <&3 3<&- > "$x/$n.fifo" &
  else
    "$@" <&3 3<&- &
  fi
  c=$!
  if [ -n "$stop" ]; then kill -TERM "$c" 2>/dev/null; fi
  while :; do
    wait "$c"; rc=$?
    kill -0 "$c" 2>/dev/null || break
  done
  c=
  if [ -n "$t" ]; then wait "$t"; fi
}
bundle() {
  printf '@@%s begin %s\\n' "$k" "$rc"
  saved=$IFS; IFS='
'
  set -f
  for line in $outs; do
    p=${line#* }; m=${line%% *}
    if [ -f "$p" ]; then
      printf '\\n@@%s param %s\\n' "$k" "$m"; "$b/cat" "$p"
    else
      printf '\\n@@%s missing %s\\n' "$k" "$m"
    fi
  done
  for line in $arts; do
    p=${line#* }; m=${line%% *}; dir=${p%/*}
    if [ -e "$p" ] || [ -L "$p" ]; then
      printf '\\n@@%s artifact %s\\n' "$k" "$m"
      "$b/tar" -cf - -C "${dir:-/}" "${p##*/}" | "$b/gzip" -c | "$b/base64"
    else
      printf '\\n@@%s noartifact %s\\n' "$k" "$m"
    fi
  done
  set +f; IFS=$saved
  if [ -n "$cap" ]; then
    printf '\\n@@%s result\\n' "$k"; "$b/tail" -c 262144 "$x/$n.stdout"
  fi
  printf '\\n@@%s end\\n' "$k"
}
prog=$1
case $prog in
  */*) ;;
  *)
    found=; saved=$IFS; IFS=:
    for dir in $PATH; do
      if [ -f "${dir:-.}/$prog" ] && [ -x "${dir:-.}/$prog" ]; then found=${dir:-.}/$prog; break; fi
    done
    IFS=$saved
    if [ -z "$found" ]; then
      printf 'exec: "%s": executable file not found in $PATH\n' "$prog" >&2
      found=/.argoctl/not-found/$prog
    fi
    shift; set -- "$found" "$@" ;;
esac
i=0
while :; do
  if [ -n "$stop" ]; then rc=143; break; fi
  run "$@"
  if [ "$rc" = 0 ] || [ "$i" -ge "$tries" ] || [ -n "$stop" ]; then break; fi
  i=$((i + 1))
  "$b/sleep" "$delay"
done
printf '%s' "$rc" > "$x/$n.rc"
for m in $awaits; do
  while [ ! -s "$x/$m.rc" ] && [ -z "$stop" ]; do "$b/sleep" 0.1; done
done
if [ -n "$k" ]; then
  bundle > "$x/outputs.tmp" 2>/dev/null
  size=$("$b/wc" -c < "$x/outputs.tmp")
  if [ "$size" -le 4000 ]; then
    "$b/cat" "$x/outputs.tmp" > "$term"
  else
    printf '@@%s overflow %s\\n' "$k" "$size" > "$term"
  fi
  "$b/cat" "$x/outputs.tmp" > "$x/outputs"
fi
exit "$rc"
"""

OUTPUTS_SIDECAR_SCRIPT = """trap 'f=${ARGOCTL_DIR:-/.argoctl}/ctr/outputs; if [ -f "$f" ]; then cat "$f"; fi; exit 0' TERM INT
while :; do sleep 3600 & wait $!; done
"""


def kube_escape(text: str) -> str:
    """Text the kubelet will pass through ``$(VAR)`` expansion unchanged (``$`` → ``$$``)."""
    return text.replace("$", "$$")


def wrapped_command(argv: list[str]) -> list[str]:
    """The main container's command: the copied shell runs the wrapper, then the user's argv."""
    return [f"{HELPER_BIN}/sh", "-c", kube_escape(WRAPPER_SCRIPT), "argoctl", *argv]


@dataclass(frozen=True, slots=True)
class WrapOptions:
    """What the wrapper of one container does (see ``WRAPPER_SCRIPT``)."""

    name: str
    capture: bool = False
    report_nonce: str = ""  # non-empty: this container writes the outputs bundle
    dependencies: tuple[str, ...] = ()
    retries: int = 0
    retry_delay: float = 0.0
    parameters: tuple[tuple[str, str], ...] = ()  # (name, path) of valueFrom.path parameters
    artifacts: tuple[tuple[str, str], ...] = ()  # (name, path) of output artifacts
    awaits: tuple[str, ...] = ()  # containerSet members to wait for before reading outputs
    termination_path: str = TERMINATION_LOG

    def env(self) -> list[dict[str, str]]:
        values = {
            "ARGOCTL_NAME": self.name,
            "ARGOCTL_CAPTURE": "1" if self.capture else "",
            "ARGOCTL_REPORT": self.report_nonce,
            "ARGOCTL_DEPS": " ".join(self.dependencies),
            "ARGOCTL_RETRIES": str(self.retries) if self.retries else "",
            "ARGOCTL_RETRY_DELAY": _seconds(self.retry_delay) if self.retry_delay else "",
            "ARGOCTL_OUTPUTS": "\n".join(f"{name} {path}" for name, path in self.parameters),
            "ARGOCTL_ARTIFACTS": "\n".join(f"{name} {path}" for name, path in self.artifacts),
            "ARGOCTL_AWAIT": " ".join(self.awaits),
            "ARGOCTL_TERMINATION": self.termination_path if self.termination_path != TERMINATION_LOG else "",
        }
        return [{"name": key, "value": kube_escape(value)} for key, value in values.items() if value]


def _seconds(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.3f}"


def staged_path(relative: str) -> str:
    """Where a staged file lives in the init container (the staging volume at ``STAGING_DIR``)."""
    return f"{STAGING_DIR}/{relative}"


def init_container(helper_image: str, *, copy_tools: bool, files: Sequence[tuple[str, str, int]] = (),
                   inputs: str = "", input_parts: int = 0) -> dict[str, object]:
    """``argoctl-init``: copies the helper programs, writes ``files`` — (path relative to the
    staging volume, content, mode) — such as a script's source, and unpacks the staged input
    artifacts (a gzipped tar: ``inputs`` in base64, or ``input_parts`` pieces in the
    ``argoctl-inputs`` volume) into the staging volume."""
    env: list[dict[str, str]] = []
    mounts: list[dict[str, object]] = [{"name": HELPER_VOLUME, "mountPath": HELPER_DIR}]
    if copy_tools:
        env.append({"name": "ARGOCTL_TOOLS", "value": " ".join(TOOLS)})
    if files:
        env.append({"name": "ARGOCTL_FILES", "value": str(len(files))})
        for index, (relative, content, mode) in enumerate(files):
            env.append({"name": f"ARGOCTL_FILE_{index}_PATH", "value": kube_escape(staged_path(relative))})
            env.append({"name": f"ARGOCTL_FILE_{index}_MODE", "value": format(mode, "o")})
            env.append({"name": f"ARGOCTL_FILE_{index}", "value": kube_escape(content)})
    if inputs:
        env.append({"name": "ARGOCTL_INPUTS", "value": inputs})
    elif input_parts:
        env.append({"name": "ARGOCTL_INPUT_PARTS", "value": str(input_parts)})
        mounts.append({"name": INPUTS_VOLUME, "mountPath": f"{HELPER_DIR}/inputs", "readOnly": True})
    if files or inputs or input_parts:
        mounts.append({"name": STAGING_VOLUME, "mountPath": STAGING_DIR})
    return {
        "name": INIT_CONTAINER, "image": helper_image, "imagePullPolicy": "IfNotPresent",
        "command": ["sh", "-c", kube_escape(INIT_SCRIPT)], "env": env, "volumeMounts": mounts,
        "terminationMessagePolicy": "FallbackToLogsOnError",
    }


def input_parts_volume(config_maps: Sequence[str]) -> dict[str, object]:
    """The ConfigMaps holding a large input archive, as files ``part-NNNN`` in one volume."""
    sources = [{"configMap": {"name": name, "items": [{"key": "part", "path": f"part-{index:04d}"}]}}
               for index, name in enumerate(config_maps)]
    return {"name": INPUTS_VOLUME, "projected": {"sources": sources}}


def outputs_sidecar(helper_image: str) -> dict[str, object]:
    """``argoctl-outputs``: a native sidecar that prints the bundle when the kubelet stops it."""
    return {
        "name": OUTPUTS_CONTAINER, "image": helper_image, "imagePullPolicy": "IfNotPresent",
        "restartPolicy": "Always", "command": ["sh", "-c", kube_escape(OUTPUTS_SIDECAR_SCRIPT)],
        "volumeMounts": [{"name": HELPER_VOLUME, "mountPath": HELPER_DIR}],
        "terminationMessagePolicy": "FallbackToLogsOnError",
    }
