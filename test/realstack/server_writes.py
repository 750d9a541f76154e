#!/usr/bin/python3
"""Prints the state-changing OVH API calls in a simulator request log.

Reads the JSON list of GET /_sim/requests on stdin and prints one line per
non-GET call: "METHOD PATH", plus " bootId=N" when the body sets a boot. The
/1.0 prefix is dropped. Reads (GET) are left out: the fencer's recurring
monitor may add some at any time.
"""
import json
import sys

for request in json.load(sys.stdin) or []:
    if request["method"] == "GET":
        continue
    path = request["path"].removeprefix("/1.0")
    line = f'{request["method"]} {path}'
    body = json.loads(request.get("body") or "null")
    if isinstance(body, dict) and "bootId" in body:
        line += f' bootId={body["bootId"]}'
    print(line)
