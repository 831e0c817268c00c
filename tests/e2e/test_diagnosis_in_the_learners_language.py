"""A learner whose phone is in English reads why their build or command failed (and the review of their Dockerfile)
in English; a French one, in French.

The lab answers from a script (tests/lab_fakes.py) with what Docker 20.10 prints in the lab: the story here is the
words, not Docker.
"""

from __future__ import annotations

from lab_fakes import FakeLab, result

from sandbox.results import BuildResult

PORT_TAKEN = ("docker: Error response from daemon: driver failed programming external connectivity on endpoint web2 "
              "(b37dc2b1991d): Bind for 0.0.0.0:8080 failed: port is already allocated.")
COMMAND = "docker run -d -p 8080:80 --name web2 nginx"
DOCKERFILE = "FROM ubuntu:22.04\nRUN apt-get install -y nginx\n"
APT_LOG = ("Step 1/2 : FROM ubuntu:22.04\n ---> 3db8720ecbf5\nStep 2/2 : RUN apt-get install -y nginx\n"
           " ---> Running in 4f\nReading package lists...\nE: Unable to locate package nginx\n"
           "The command '/bin/sh -c apt-get install -y nginx' returned a non-zero code: 100\n")
FRENCH_WORDS = ("déjà", "Ligne", "Leçon", "Écris", " le ", " la ", " ton ")


def failing_lab() -> FakeLab:
    return FakeLab(answers={COMMAND: result(PORT_TAKEN, exit_code=125),
                            "docker ps --format '{{.Names}}\t{{.Ports}}'": "web\t0.0.0.0:8080->80/tcp, :::8080->80/tcp\n"},
                   build_result=BuildResult(ok=False, image_id=None, image_size=None, duration_s=2.0,
                                            failed_step="RUN apt-get install -y nginx",
                                            error="E: Unable to locate package nginx", log=APT_LOG, steps_total=2,
                                            tag=None))


async def test_an_english_learner_reads_a_command_error_explained_in_english(make_harness):
    harness = await make_harness(sandbox=failing_lab())
    api = harness.api
    amy = api.user(9401, first_name="Amy", language_code="en")
    sent = await amy.send("/run " + COMMAND)
    told = await api.wait_for_message(amy.id, after=sent, predicate=lambda m: "🩺" in m.text)
    assert told.text.startswith("🩺 What happened")
    assert "Port 8080 is already taken" in told.text
    assert "The container web of your lab already publishes port 8080" in told.text
    assert "Stop web and start yours: docker stop web && docker start web2" in told.text
    assert "Or publish a free port, 8081: docker rm web2 && docker run -d -p 8081:80" in told.text
    assert not [word for word in FRENCH_WORDS if word in told.text], told.text


async def test_an_english_learner_reads_a_build_error_explained_in_english(make_harness):
    harness = await make_harness(sandbox=failing_lab())
    api = harness.api
    ben = api.user(9402, first_name="Ben", language_code="en")
    sent = await ben.send(DOCKERFILE)
    told = await api.wait_for_message(ben.id, after=sent, predicate=lambda m: "🧱" in m.text)
    assert told.text.startswith("🧱 The build failed at line 2")
    assert "apt cannot find the package nginx" in told.text
    assert "Line 2: write RUN apt-get update && apt-get install -y nginx as one instruction." in told.text
    assert "Docker's message:" in told.text and "E: Unable to locate package nginx" in told.text
    assert not [word for word in FRENCH_WORDS if word in told.text], told.text
    review = await api.wait_for_message(ben.id, after=told, predicate=lambda m: "remark" in m.text)
    assert "L2 · apt-get install without apt-get update in the same RUN" in review.text
    assert not [word for word in FRENCH_WORDS if word in review.text], review.text


async def test_a_french_learner_still_reads_the_reviewed_french(make_harness):
    harness = await make_harness(sandbox=failing_lab())
    api = harness.api
    cleo = api.user(9403, first_name="Cléo", language_code="fr")
    sent = await cleo.send("/run " + COMMAND)
    told = await api.wait_for_message(cleo.id, after=sent, predicate=lambda m: "🩺" in m.text)
    assert "Le port 8080 est déjà pris" in told.text and "Le conteneur web de ton labo publie" in told.text
    assert "Arrête web et démarre le tien : docker stop web && docker start web2" in told.text
    sent = await cleo.send(DOCKERFILE)
    told = await api.wait_for_message(cleo.id, after=sent, predicate=lambda m: "🧱" in m.text)
    assert told.text.startswith("🧱 La construction a échoué ligne 2")
    assert "Ligne 2 : écris RUN apt-get update && apt-get install -y nginx en une seule instruction." in told.text
