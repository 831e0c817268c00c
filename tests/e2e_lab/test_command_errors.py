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


async def test_the_fixes_the_explanations_suggest_work_in_the_lab(lab_harness):
    api = lab_harness.api
    zed = api.user(833, first_name="Zed")
    assert "✅ code 0" in (await run(api, zed, "docker run -d -p 8080:80 --name web nginx")).text
    failed = await run(api, zed, "docker run -d -p 8080:80 --name web2 nginx")
    await explained(api, zed, failed)
    for fix in ("docker ps", "docker rm -f web2", "docker run -d -p 8081:80 --name web2 nginx",
                "docker rm -f web", "docker run -d -p 8080:80 --name web nginx", "docker ps -a", "docker images"):
        done = await run(api, zed, fix)
        assert "✅ code 0" in done.text, (fix, done.text)
    failed = await run(api, zed, "docker run -d --name gone busybox true && sleep 1 && docker exec gone ls")
    why = await explained(api, zed, failed)
    assert "Le conteneur est arrêté" in why.text
    assert "✅ code 0" in (await run(api, zed, "docker rm gone")).text
    for fix in ("docker run -d --name gone busybox true", "sleep 1; docker rm gone",
                "docker run -d --name gone busybox sleep 3600", "docker exec gone ls /", "docker stop gone",
                "docker rm gone"):
        done = await run(api, zed, fix)
        assert "✅ code 0" in done.text, (fix, done.text)


async def test_the_detached_suggestion_for_a_foreground_server_works(lab_harness):
    from bot.services.lab import detached_alternative

    api = lab_harness.api
    kai = api.user(834, first_name="Kai")
    command = detached_alternative("docker run --rm -p 8090:80 nginx")
    assert command == "docker run -d --rm -p 8090:80 nginx"
    assert "✅ code 0" in (await run(api, kai, command)).text
    served = await run(api, kai, "sleep 1; curl -s localhost:8090 | head -c 200")
    assert "✅ code 0" in served.text
