"""The operator prepares the lab once; later runs only confirm it, and repair what went missing."""

from __future__ import annotations

import pytest
from tests_support import preparation_lock

from sandbox.prepare import LabNames, check_prepared, prepare

pytestmark = [pytest.mark.docker, pytest.mark.slow]


@pytest.fixture(autouse=True)
def _no_other_preparation(cache_dir, first_report):
    """These tests remove images and prepare again: no other worker prepares meanwhile."""
    with preparation_lock(cache_dir):
        yield


def test_a_prepared_lab_is_reported_ready(docker_client, first_report):
    status = check_prepared(docker_client)

    assert status.ok, status.describe()
    assert status.mode in {"standin", "proxy"}


def test_preparing_again_builds_pulls_and_pushes_nothing(docker_client, cache_dir, first_report):
    report = prepare(docker_client, cache_dir=cache_dir, log=lambda _line: None)

    assert report.built == ()
    assert report.pulled == ()
    assert report.pushed == ()
    assert not report.mirror_recreated
    assert not report.changed
    assert "already prepared" in report.summary()


def test_a_stand_in_that_went_missing_is_rebuilt_alone(docker_client, cache_dir, first_report):
    if first_report.mode != "offline":
        pytest.skip("stand-ins are only built when no registry answers")
    docker_client.images.remove("hello-world:latest", force=True)

    report = prepare(docker_client, cache_dir=cache_dir, log=lambda _line: None)

    assert report.built == ("hello-world",)
    assert report.pushed == ("hello-world:latest",)
    assert check_prepared(docker_client).ok


def test_a_name_of_tags_txt_missing_on_the_engine_is_tagged_again_without_a_rebuild(docker_client, cache_dir,
                                                                                    first_report):
    if first_report.mode != "offline":
        pytest.skip("stand-ins are only built when no registry answers")
    docker_client.images.remove("nginx:1.27")  # a name added to tags.txt after the image was built

    report = prepare(docker_client, cache_dir=cache_dir, log=lambda _line: None)

    assert "nginx:1.27" in docker_client.images.get("nginx:latest").tags
    assert report.built == ()


def test_an_unprepared_lab_says_what_is_missing(docker_client):
    nowhere = LabNames(workspace_image="tutorbot/workspace:never-built",
                       mirror_container="tutorbot-test-no-mirror", mirror_network="tutorbot-test-no-net")

    status = check_prepared(docker_client, names=nowhere)

    assert not status.ok
    text = status.describe()
    assert "not prepared" in text
    assert "tutorbot/workspace:never-built is missing" in text
    assert "tutorbot-test-no-mirror is missing" in text
    assert "tutorbot-test-no-net is missing" in text


def test_asked_to_go_online_without_a_registry_it_falls_back_to_the_stand_ins(docker_client, cache_dir,
                                                                               first_report):
    if first_report.mode != "offline":
        pytest.skip("a registry answers here")
    lines: list[str] = []

    report = prepare(docker_client, cache_dir=cache_dir, log=lines.append, mode="online")

    assert report.mode == "offline"
    assert any("preparing offline" in line for line in lines)
    assert not report.changed
