# Runs ansible-runner jobs one after another in one process, so that an operation does not pay for starting
# Python and loading ansible-runner. Requests are JSON lines on standard input (paths and names only, never input
# values); answers are JSON lines on standard output: {"ready": VERSION} once, then for each request its output
# ({"out": TEXT}) and its end ({"status": STATUS, "rc": RC}, or {"error": MESSAGE}).
import json
import os
import sys

answers = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
os.dup2(2, 1)  # whatever else is printed goes to standard error, never among the answers

import ansible_runner  # noqa: E402
import pexpect  # noqa: E402


class _Spawn(pexpect.spawn):
    def close(self, force=True):
        # ansible-runner closes the pty once its loop has seen the child end; ptyprocess would still wait 0.1 s
        # for the kernel to report that exit
        if not self.ptyproc.isalive():
            self.ptyproc.delayafterclose = 0
        super().close(force)


pexpect.spawn = _Spawn


def answer(message):
    answers.write(json.dumps(message) + "\n")


def relay(event):
    text = event.get("stdout")
    if text:
        answer({"out": text})
    return True  # the event is kept: the executor reads job_events afterwards


try:
    from importlib.metadata import version
    RUNNER_VERSION = version("ansible-runner")
except Exception:  # only shown in the executor's log
    RUNNER_VERSION = "unknown"
answer({"ready": RUNNER_VERSION})
while True:
    line = sys.stdin.readline()
    if not line:
        break
    request = json.loads(line)
    try:
        run = ansible_runner.run(private_data_dir=request["private_data_dir"], playbook=request["playbook"],
                                 project_dir=request["project_dir"], ident=request["ident"], quiet=True,
                                 event_handler=relay)
        answer({"status": run.status, "rc": run.rc})
    except Exception as e:  # a broken request or private data directory ends the run, not the worker
        answer({"error": "%s: %s" % (type(e).__name__, e)})
