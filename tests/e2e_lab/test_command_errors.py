"""A learner's Docker command fails in the real lab: the reply explains it in French, with a lesson."""

from __future__ import annotations


async def run(api, user, command: str):
    sent = await user.send(command)
    return await api.wait_for_message(user.id, after=sent, timeout=60, predicate=lambda m: "code" in m.text)


async def explained(api, user, after):
    return await api.wait_for_message(user.id, after=after, timeout=10,
                                      predicate=lambda m: "Ce qui s'est passé" in m.text)


async def test_a_taken_port_a_taken_name_and_a_missing_container_are_explained(lab_harness):
    api = lab_harness.api
    xia = api.user(831, first_name="Xia")
    ok = await run(api, xia, "docker run -d -p 8080:80 --name web nginx")
    assert "✅ code 0" in ok.text
    failed = await run(api, xia, "docker run -d -p 8080:80 --name web2 nginx")
    why = await explained(api, xia, failed)
    assert "Le port 8080 est déjà pris" in why.text and "-p 8081:80" in why.text
    failed = await run(api, xia, "docker run -d --name web nginx")
    why = await explained(api, xia, failed)
    assert "Le nom web est déjà utilisé" in why.text and "docker rm -f web" in why.text
    failed = await run(api, xia, "docker logs weeb")
    why = await explained(api, xia, failed)
    assert "Aucun conteneur ne s'appelle weeb" in why.text and "docker ps -a" in why.text


async def test_an_image_the_offline_lab_does_not_have_is_explained(lab_harness):
    api = lab_harness.api
    yan = api.user(832, first_name="Yan")
    failed = await run(api, yan, "docker pull postgres")
    why = await explained(api, yan, failed)
    assert "L'image postgres n'est pas disponible dans le labo" in why.text and "nginx" in why.text
