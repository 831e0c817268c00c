"""What a learner reads when the lab refuses, fills up or cuts: the lab gives codes and numbers, the bot words them.

The sandbox's errors carry no learner-facing text: each story checks the French and the English wording.
"""

from __future__ import annotations

import io
import tarfile

from docker.errors import DockerException
from lab_fakes import FakeLab
from sqlmodel import Session, select
from tests_sandbox_settings import lab_settings_again

from bot.storage.models import ExerciseAttempt
from sandbox.errors import DiskLimitReached
from sandbox.results import BuildResult, CommandResult
from sandbox.service import SandboxService


def recorded(harness) -> list[tuple[str, str]]:
    with Session(harness.engine) as session:
        return [(a.status, a.output_excerpt) for a in session.exec(select(ExerciseAttempt)).all()]


def tar_with(*names: str) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name in ("Dockerfile", *names):
            body = b"FROM busybox\n" if name == "Dockerfile" else b"x"
            info = tarfile.TarInfo(name)
            info.size = len(body)
            archive.addfile(info, io.BytesIO(body))
    return buffer.getvalue()


async def test_an_archive_reaching_outside_itself_is_refused_naming_the_file_in_each_language(make_harness):
    lab = FakeLab()
    harness = await make_harness(sandbox=lab)
    api = harness.api
    upload = tar_with("../../etc/cron.d/evil")
    zoe, liam = api.user(941, first_name="Zoé"), api.user(942, first_name="Liam", language_code="en")

    sent = await zoe.send_document("contexte.tar.gz", upload)
    french = await api.wait_for_message(zoe.id, after=sent)
    sent = await liam.send_document("context.tar.gz", upload)
    english = await api.wait_for_message(liam.id, after=sent)

    assert "contexte de construction : chemin qui sort de l'archive : ../../etc/cron.d/evil" in french.text
    assert "build context: path leaving the archive: ../../etc/cron.d/evil" in english.text
    assert lab.builds == [], "nothing reached the lab"
    assert recorded(harness) == [("rejected", "path leaving the archive: ../../etc/cron.d/evil")] * 2, \
        "the attempt keeps the English log line, whatever the learner's language"


async def test_a_learner_over_the_disk_limit_is_told_how_much_is_used_and_how_to_free_it(make_harness):
    full = DiskLimitReached(used_bytes=5_100_000_000, limit_bytes=5 * 1024**3)
    harness = await make_harness(sandbox=FakeLab(answers={"docker pull nginx": full}))
    api = harness.api
    nour, ada = api.user(943, first_name="Nour"), api.user(944, first_name="Ada", language_code="en")

    sent = await nour.send("/run docker pull nginx")
    french = await api.wait_for_message(nour.id, after=sent)
    sent = await ada.send("/run docker pull nginx")
    english = await api.wait_for_message(ada.id, after=sent)

    assert french.text.startswith("🚫 Commande refusée : ton labo utilise 4,7 Gio sur 5 Gio")
    assert "docker system prune -a" in french.text and "/reset" in french.text
    assert english.text.startswith("🚫 Command refused: your lab uses 4.7 GiB of 5 GiB")
    assert "docker system prune -a" in english.text and "/reset" in english.text


async def test_a_command_that_fills_the_disk_shows_its_output_then_the_way_out(make_harness):
    filled = CommandResult(exit_code=1, output="head: write error: No space left on device\n", truncated=False,
                           duration_s=2.0, disk_full=True)
    harness = await make_harness(sandbox=FakeLab(answers={"head -c 9g /dev/zero > big": filled}))
    api = harness.api
    ines, tom = api.user(945, first_name="Inès"), api.user(946, first_name="Tom", language_code="en")

    sent = await ines.send("/run head -c 9g /dev/zero > big")
    french = await api.wait_for_message(ines.id, after=sent)
    sent = await tom.send("/run head -c 9g /dev/zero > big")
    english = await api.wait_for_message(tom.id, after=sent)

    assert "No space left on device" in french.text
    assert "Ton labo a rempli son disque" in french.text and "/reset" in french.text
    assert "Your lab's disk is full" in english.text and "/reset" in english.text


async def test_a_flood_of_output_says_how_much_was_cut_from_the_middle(make_harness):
    flood = CommandResult(exit_code=0, output="y\n" * 100 + "[…]\n" + "y\n" * 100, truncated=True, duration_s=1.0,
                          output_bytes=3 * 1024 * 1024, cut_bytes=2 * 1024 * 1024 + 512 * 1024)
    harness = await make_harness(sandbox=FakeLab(answers={"yes": flood}))
    api = harness.api
    lea, sam = api.user(947, first_name="Léa"), api.user(948, first_name="Sam", language_code="en")

    sent = await lea.send("/run yes")
    french = await api.wait_for_message(lea.id, after=sent, predicate=lambda m: "code" in m.text)
    sent = await sam.send("/run yes")
    english = await api.wait_for_message(sam.id, after=sent, predicate=lambda m: "exit" in m.text)

    assert "2,5 Mio coupés au milieu" in french.text
    assert "2.5 MiB cut in the middle" in english.text


async def test_when_the_sandbox_host_is_down_the_learner_is_told_and_the_log_says_why(make_harness):
    def host_down():
        raise DockerException("Error while fetching server API version: connection refused")

    lab = SandboxService(lab_settings_again(), client_factory=host_down)
    harness = await make_harness(sandbox=lab)
    api = harness.api
    rui = api.user(949, first_name="Rui")

    sent = await rui.send("/run docker ps")
    answer = await api.wait_for_message(rui.id, after=sent)

    assert answer.text.startswith("🧪 Le labo est indisponible pour le moment")
    [(status, log)] = recorded(harness)
    assert status == "unavailable" and "connection refused" in log


async def test_a_build_stopped_at_the_time_limit_says_so_in_each_language(make_harness):
    stopped = BuildResult(ok=False, image_id=None, image_size=None, duration_s=600.2, failed_step="RUN sleep 9999",
                          error="Step 2/2 : RUN sleep 9999", log="Step 2/2 : RUN sleep 9999\n", steps_total=2,
                          tag="mon-image", timed_out=True)
    harness = await make_harness(sandbox=FakeLab(build_result=stopped))
    api = harness.api
    noa, kim = api.user(950, first_name="Noa"), api.user(951, first_name="Kim", language_code="en")

    sent = await noa.send("FROM busybox\nRUN sleep 9999\n")
    french = await api.wait_for_message(noa.id, after=sent, predicate=lambda m: "⏱" in m.text)
    sent = await kim.send("FROM busybox\nRUN sleep 9999\n")
    english = await api.wait_for_message(kim.id, after=sent, predicate=lambda m: "⏱" in m.text)

    assert "a dépassé le temps permis (600 s)" in french.text
    assert "went over its time limit (600 s)" in english.text
