"""A learner meets the limits of the lab's offline images; the bot explains them in French."""

from __future__ import annotations


async def run(api, user, command: str):
    sent = await user.send(command)
    return await api.wait_for_message(user.id, after=sent, timeout=60, predicate=lambda m: "code" in m.text)


async def test_ubuntu_answering_debian_and_alpine_without_apk_are_explained(lab_harness):
    api = lab_harness.api
    hal = api.user(891, first_name="Hal")
    shown = await run(api, hal, "docker run --rm ubuntu cat /etc/os-release")
    assert "Debian" in shown.text and "l'image ubuntu est une copie construite sur Debian" in shown.text
    failed = await run(api, hal, "docker run --rm alpine apk add curl")
    why = await api.wait_for_message(hal.id, after=failed, timeout=10,
                                     predicate=lambda m: "Ce qui s'est passé" in m.text)
    assert "L'alpine du labo n'a pas de gestionnaire de paquets" in why.text and "apt-get" in why.text
    shown = await run(api, hal, "docker run --rm python:3.12-slim python --version")
    assert "Python 3.11" in shown.text and "toutes les images python contiennent Python 3.11" in shown.text


async def test_the_way_out_the_alpine_note_suggests_works(lab_harness):
    api = lab_harness.api
    ida = api.user(892, first_name="Ida")
    done = await run(api, ida, "docker run --rm debian sh -c 'apt-get update -qq && apt-get install -y -qq curl "
                               ">/dev/null && curl --version | head -1'")
    assert "✅ code 0" in done.text and "curl " in done.text
