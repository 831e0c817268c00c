"""Port 8080 is already held in the learner's lab: the bot's run suggestion after a build publishes a free
port, and "port is already allocated" names the container holding it. Every suggested command is run here."""

from __future__ import annotations

import html
import re


async def run(api, user, command: str):
    sent = await user.send(command)
    return await api.wait_for_message(user.id, after=sent, timeout=60, predicate=lambda m: "code" in (m.text or ""))


async def explained(api, user, after):
    return await api.wait_for_message(user.id, after=after, timeout=20,
                                      predicate=lambda m: "Ce qui s'est passé" in (m.text or ""))


def suggested(message) -> list[str]:
    return [html.unescape(c) for c in re.findall(r"<code>((?:docker|curl) [^<]*)</code>", message.html or "")]


async def test_the_build_suggestion_publishes_a_free_port_and_works(lab_harness):
    api = lab_harness.api
    noe = api.user(881, first_name="Noé")
    assert "✅ code 0" in (await run(api, noe, "docker run -d -p 8080:80 --name exo nginx")).text
    sent = await noe.send("/build -t site\nFROM nginx\nEXPOSE 80\n")
    built = await api.wait_for_message(noe.id, after=sent, timeout=180,
                                       predicate=lambda m: "Image construite" in (m.text or ""))
    commands = suggested(built)
    assert any("-p 8081:80" in c for c in commands) and "curl -s localhost:8081" in commands, built.text
    assert not any("rm -f web" in c or "rm -f exo" in c for c in commands), "never removes a learner's container"
    for command in commands:
        done = await run(api, noe, command if "curl" not in command else f"sleep 1; {command} | head -c 100")
        assert "✅ code 0" in done.text, (command, done.text)
    ps = await run(api, noe, "docker ps --format '{{.Names}}'")
    assert "exo" in ps.text and "site" in ps.text


async def test_a_taken_port_names_its_holder_and_both_fixes_work(lab_harness):
    api = lab_harness.api
    mia = api.user(882, first_name="Mia")
    assert "✅ code 0" in (await run(api, mia, "docker run -d -p 8080:80 --name exo nginx")).text
    assert "✅ code 0" in (await run(api, mia, "docker run -d -p 8081:80 --name autre nginx")).text
    failed = await run(api, mia, "docker run -d -p 8080:80 --name web2 nginx")
    why = await explained(api, mia, failed)
    assert "Le port 8080 est déjà pris" in why.text and "exo" in why.text, why.text
    stop, other = suggested(why)
    assert stop == "docker stop exo && docker start web2", why.text
    assert other == "docker rm web2 && docker run -d -p 8082:80 --name web2 nginx", why.text
    assert "✅ code 0" in (await run(api, mia, other)).text
    failed = await run(api, mia, "docker run -d -p 8080:80 --name web3 nginx")
    why = await explained(api, mia, failed)
    stop, other = suggested(why)
    assert "docker start web3" in stop and "-p 8083:80" in other, why.text
    assert "✅ code 0" in (await run(api, mia, stop)).text
    ps = await run(api, mia, "docker ps --format '{{.Names}} {{.Ports}}'")
    assert "web3 0.0.0.0:8080->80/tcp" in ps.text and "web2 0.0.0.0:8082" in ps.text, ps.text
