"""A learner edits their files in the Lab tab and builds their Dockerfile there, the build's steps coming as they
happen; the files are their own workspace's, read and written as the learner."""

from __future__ import annotations

import json

import aiohttp
from mini_app import call, init_data_for, mini_app_url

from bot.services.lab_terminal import learner_id_of
from bot.webapp.server import INIT_DATA_HEADER

LINA, MILO = 891, 892


async def started(harness, user_id: int, first_name: str) -> None:
    user = harness.api.user(user_id, first_name=first_name)
    sent = await user.send("/start")
    await harness.api.wait_for_message(user_id, after=sent, timeout=30)


async def build(harness, user_id: int, dockerfile: str, tag: str) -> list[dict]:
    """The build's JSON lines, as the page reads them."""
    async with aiohttp.ClientSession() as http, http.post(
            mini_app_url(harness) + "api/lab/build", json={"dockerfile": dockerfile, "tag": tag},
            headers={INIT_DATA_HEADER: init_data_for(user_id)}) as response:
        assert response.status == 200
        return [json.loads(line) async for line in response.content if line.strip()]


async def test_a_learner_writes_a_file_builds_with_it_and_reads_it_back(lab_harness):
    await started(lab_harness, LINA, "Lina")
    lina = init_data_for(LINA)

    status, saved = await call(lab_harness, "api/lab/file", lina, method="PUT",
                               json={"path": "app/hello.txt", "text": "bonjour depuis l'éditeur\n"})
    assert (status, saved) == (200, {"saved": "app/hello.txt"})
    status, listed = await call(lab_harness, "api/lab/files", lina)
    assert status == 200
    assert {"path": "app", "folder": True, "size": 4096}.keys() <= next(
        f for f in listed["files"] if f["path"] == "app" and f["folder"]).keys()
    assert any(f["path"] == "app/hello.txt" and f["size"] == len("bonjour depuis l'éditeur\n".encode())
               for f in listed["files"])

    lines = await build(lab_harness, LINA, "FROM busybox\nCOPY app/hello.txt /hello.txt\nCMD cat /hello.txt\n",
                        "salut")
    assert any(line["type"] == "step" for line in lines), "the steps come as they happen"
    done = lines[-1]
    assert done["type"] == "done" and done["ok"] is True and done["tag"] == "salut", done
    status, dockerfile = await call(lab_harness, "api/lab/file?path=Dockerfile", lina)
    assert status == 200 and dockerfile["text"].startswith("FROM busybox")
    ran = await lab_harness.application.bot_data["services"].sandbox.run_command(
        learner_id=(await _learner_id(lab_harness, LINA)), command="docker run --rm salut")
    assert "bonjour depuis l'éditeur" in ran.output


async def test_a_failed_build_says_which_step_failed(lab_harness):
    await started(lab_harness, LINA, "Lina")
    lines = await build(lab_harness, LINA, "FROM busybox\nRUN exit 3\n", "rate")
    done = lines[-1]
    assert done["type"] == "done" and done["ok"] is False and "exit 3" in (done["failed_step"] or ""), done


async def test_paths_stay_in_the_workspace_and_each_learner_reads_their_own_files(lab_harness):
    await started(lab_harness, LINA, "Lina")
    await started(lab_harness, MILO, "Milo")
    lina, milo = init_data_for(LINA), init_data_for(MILO)
    assert (await call(lab_harness, "api/lab/file", lina, method="PUT", json={"path": "whose", "text": "lina"}))[0] == 200

    for path in ("../etc/passwd", "/etc/passwd", "a/../../etc/passwd", ".bashrc", ""):
        assert (await call(lab_harness, f"api/lab/file?path={path}", lina))[0] == 400, path
        assert (await call(lab_harness, "api/lab/file", lina, method="PUT",
                           json={"path": path, "text": "x"}))[0] == 400, path
    assert (await call(lab_harness, "api/lab/file?path=whose", milo))[0] == 404, "Milo's workspace has no such file"
    assert await call(lab_harness, "api/lab/file?path=whose", lina) == (200, {"path": "whose", "text": "lina"})
    assert (await call(lab_harness, "api/lab/files", None))[0] == 401


async def _learner_id(harness, telegram_id: int) -> int:
    learner_id = await learner_id_of(harness.application.bot_data["services"].db, telegram_id)
    assert learner_id is not None
    return learner_id
