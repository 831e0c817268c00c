"""Port 53 is opened towards the resolver the lab's dockerd really forwards to, and nowhere else."""

from __future__ import annotations

from sandbox.firewall import workspace_rules
from sandbox.resolvers import DOCKER_DEFAULT_DNS, resolvers_from


def test_the_daemons_dns_setting_wins_over_resolv_conf():
    assert resolvers_from('{"dns": ["10.0.0.2", "::1"]}', ["nameserver 192.168.1.1\n"]) == ("10.0.0.2",)


def test_a_host_that_only_lists_itself_falls_back_to_systemd_resolveds_upstream_then_dockers_defaults():
    assert resolvers_from(None, ["nameserver 127.0.0.53\n", "nameserver 10.255.255.53\n"]) == ("10.255.255.53",)
    assert resolvers_from("{}", ["nameserver 127.0.0.53\noptions edns0\n"]) == DOCKER_DEFAULT_DNS


def test_only_a_private_resolver_gets_a_port_53_exception_and_only_for_its_own_address():
    rules = [" ".join(rule) for _, rule in workspace_rules("10.201.0.0/29", None, ("10.255.255.53", "8.8.8.8"))]
    port_53 = [rule for rule in rules if "--dport 53" in rule]
    assert port_53 == [f"-s 10.201.0.0/29 -d 10.255.255.53/32 -p {proto} --dport 53 -j RETURN" for proto in ("udp", "tcp")]
    first_drop = next(i for i, rule in enumerate(rules) if rule.endswith("-d 10.0.0.0/8 -j DROP"))
    assert all(rules.index(rule) < first_drop for rule in port_53)
