"""Realistic failed `docker build` logs, as the classic builder and BuildKit print them."""

from __future__ import annotations


def classic(steps: list[str], failure: str, *, total: int | None = None) -> str:
    """A classic-builder log: every step runs fine until the last one, which prints `failure`."""
    total = total or len(steps) + 1
    lines = ["Sending build context to Docker daemon  4.096kB"]
    for number, step in enumerate(steps, start=1):
        lines += [f"Step {number}/{total} : {step}", " ---> Using cache", f" ---> {number:012x}"]
    return "\n".join(lines + [failure]) + "\n"


def buildkit_run(dockerfile: str, line: int, *, step: str, index: str, output: list[str], code: int) -> str:
    """A BuildKit (plain progress) log where the RUN at `line` fails with `output` and `code`."""
    source = dockerfile.splitlines()
    context = "\n".join(
        f"{n:>4} | {'>>>' if n == line else '   '} {text}"
        for n, text in enumerate(source, start=1)
        if abs(n - line) <= 2
    )
    command = step.split(" ", 1)[1]
    timed = "\n".join(f"#8 {0.2 + i / 10:.3f} {text}" for i, text in enumerate(output))
    process = f'process "/bin/sh -c {command}" did not complete successfully: exit code: {code}'
    return f"""#0 building with "default" instance using docker driver

#1 [internal] load build definition from Dockerfile
#1 transferring dockerfile: {len(dockerfile)}B done
#1 DONE 0.0s

#2 [internal] load metadata for docker.io/library/python:3.11-slim
#2 DONE 0.6s

#3 [internal] load .dockerignore
#3 transferring context: 2B done
#3 DONE 0.0s

#7 [1/{index.split('/')[1]}] FROM docker.io/library/python:3.11-slim@sha256:2ad3
#7 CACHED

#8 [{index}] {step}
{timed}
#8 ERROR: {process}
------
 > [{index}] {step}:
{chr(10).join(f"{0.2 + i / 10:.3f} {text}" for i, text in enumerate(output))}
------
Dockerfile:{line}
--------------------
{context}
--------------------
ERROR: failed to solve: {process}
"""


def buildkit_error(line: int, dockerfile: str, header: str, error: str, final: str) -> str:
    """A BuildKit log failing before any RUN (metadata, COPY checksum, parse errors)."""
    source = dockerfile.splitlines()
    context = "\n".join(
        f"{n:>4} | {'>>>' if n == line else '   '} {text}" for n, text in enumerate(source, start=1)
    )
    return f"""#0 building with "default" instance using docker driver

#1 [internal] load build definition from Dockerfile
#1 transferring dockerfile: {len(dockerfile)}B done
#1 DONE 0.0s

#5 {header}
#5 ERROR: {error}
------
 > {header}:
------
Dockerfile:{line}
--------------------
{context}
--------------------
ERROR: failed to solve: {final}
"""
