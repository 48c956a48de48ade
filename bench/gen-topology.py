#!/usr/bin/env python3
"""Writes a service template of N node templates for the validate benchmark.

One compute per ten nodes; every other node is a software component hosted on a compute, depending on the
previous component (a chain as long as the template), with properties computed through concat, get_input and
get_property.
"""
import sys


def main() -> None:
    n = int(sys.argv[1])
    computes = max(1, n // 10)
    out = [
        "tosca_definitions_version: tosca_simple_yaml_1_3",
        "node_types:",
        "  bench.Component:",
        "    derived_from: tosca.nodes.SoftwareComponent",
        "    properties:",
        "      name: {type: string}",
        "      url: {type: string}",
        "      port: {type: integer, default: 80, constraints: [{in_range: [1, 65535]}]}",
        "    interfaces:",
        "      Standard:",
        "        operations:",
        "          create:",
        "            implementation: playbooks/create.yml",
        "            inputs: {url: {get_property: [SELF, url]}, port: {get_property: [SELF, port]}}",
        "topology_template:",
        "  inputs:",
        "    domain: {type: string, default: example.org}",
        "  node_templates:",
    ]
    for c in range(computes):
        out += [f"    host{c}:", "      type: tosca.nodes.Compute"]
    for i in range(n - computes):
        out += [
            f"    comp{i}:",
            "      type: bench.Component",
            "      properties:",
            f"        name: comp{i}",
            '        url: {concat: ["http://", {get_property: [SELF, name]}, ".", {get_input: domain}]}',
            "      requirements:",
            f"        - host: host{i % computes}",
        ]
        if i > 0:
            out.append(f"        - dependency: comp{i - 1}")
    out += ["  outputs:", "    last_url:", f"      value: {{get_property: [comp{n - computes - 1}, url]}}"]
    print("\n".join(out))


if __name__ == "__main__":
    main()
