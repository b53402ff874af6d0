#!/usr/bin/env python3
"""systemd's notify protocol (util/pu_notify.c) as particle-bridge and particle-sim speak it.

    notify_test.py PARTICLE_SIM PARTICLE_BRIDGE

Listens on a datagram socket given as NOTIFY_SOCKET, with WATCHDOG_USEC set, and checks:
particle-sim sends READY=1 and a STATUS line once listening, WATCHDOG=1 pings about every
half WATCHDOG_USEC, STOPPING=1 on SIGTERM; particle-bridge (against that particle-sim) sends
READY=1 and STATUS only after its store is open and the first sync done (the database file
exists and its API answers by then), RELOADING=1 then READY=1 and a STATUS on SIGHUP,
WATCHDOG=1 pings, STOPPING=1 on SIGTERM, and exits 0.
"""
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

WATCHDOG_USEC = 400000  # pings every 200 ms
DEMO_TOKEN = "0123456789abcdef0123456789abcdef01234567"


def fail(message):
    print("notify_test: " + message, file=sys.stderr)
    sys.exit(1)


class Listener:
    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(path)
        self.messages = []

    def wait_for(self, wanted, timeout=30.0):
        """Receives until a datagram holds the line @wanted; returns every line so far."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.sock.settimeout(max(0.05, deadline - time.monotonic()))
            try:
                data = self.sock.recv(4096).decode()
            except socket.timeout:
                break
            lines = data.split("\n")
            self.messages.extend(lines)
            if any(line == wanted or line.startswith(wanted) for line in lines):
                return
        fail("no %r within %.0f s; received %r" % (wanted, timeout, self.messages))

    def count(self, line):
        return sum(1 for m in self.messages if m == line)


def start(argv, env, scratch, name):
    log = open(os.path.join(scratch, name + ".log"), "w")
    return subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=log, text=True)


def stop(proc, listener, name):
    proc.send_signal(signal.SIGTERM)
    listener.wait_for("STOPPING=1")
    if proc.wait(timeout=60) != 0:
        fail("%s exited %d after SIGTERM" % (name, proc.returncode))


def main():
    if len(sys.argv) != 3:
        fail("usage: notify_test.py PARTICLE_SIM PARTICLE_BRIDGE")
    sim_bin, bridge_bin = sys.argv[1], sys.argv[2]
    scratch = tempfile.mkdtemp(prefix="notify-test-")
    base_env = dict(os.environ, WATCHDOG_USEC=str(WATCHDOG_USEC))
    base_env.pop("WATCHDOG_PID", None)

    sim_events = Listener(os.path.join(scratch, "sim.sock"))
    sim_env = dict(base_env, NOTIFY_SOCKET=os.path.join(scratch, "sim.sock"))
    sim = start([sim_bin, "--listen", "127.0.0.1:0", "--quiet"], sim_env, scratch, "sim")
    try:
        url = sim.stdout.readline().strip().rsplit(" ", 1)[-1]
        if not url.startswith("http://"):
            fail("particle-sim did not start: " + url)
        sim_events.wait_for("READY=1")
        sim_events.wait_for("STATUS=listening on " + url)
        started = time.monotonic()
        while sim_events.count("WATCHDOG=1") < 3:
            sim_events.wait_for("WATCHDOG=1", timeout=5)
        if time.monotonic() - started > 5:
            fail("particle-sim's watchdog pings are too slow")

        # The bridge, against that particle-sim, on an abstract socket this time.
        bridge_events = Listener("\0notify-test-%d" % os.getpid())
        db = os.path.join(scratch, "bridge.db")
        conf = os.path.join(scratch, "bridge.ini")
        with open(conf, "w") as f:
            f.write("[cloud]\nurl = %s\n[database]\npath = %s\n[api]\nport = 0\n" % (url, db))
        bridge_env = dict(base_env, NOTIFY_SOCKET="@notify-test-%d" % os.getpid(),
                          PARTICLE_ACCESS_TOKEN=DEMO_TOKEN,
                          PARTICLE_BRIDGE_API_KEY="notify-test-api-key-0123")
        bridge = start([bridge_bin, "--config", conf], bridge_env, scratch, "bridge")
        try:
            bridge_events.wait_for("READY=1", timeout=60)
            if not os.path.exists(db):
                fail("READY=1 before the store was opened")
            bridge_events.wait_for("STATUS=serving http://127.0.0.1:")
            status = [m for m in bridge_events.messages if m.startswith("STATUS=serving")][0]
            port = status.rstrip("/").rsplit(":", 1)[1]
            request = urllib.request.Request(
                "http://127.0.0.1:%s/api/v1/devices" % port,
                headers={"Authorization": "Bearer notify-test-api-key-0123"})
            with urllib.request.urlopen(request, timeout=10) as answer:
                if answer.status != 200 or b"ParticleDeviceId" not in answer.read():
                    fail("the bridge said READY=1 without the first sync's devices")
            while bridge_events.count("WATCHDOG=1") < 2:
                bridge_events.wait_for("WATCHDOG=1", timeout=5)
            bridge.send_signal(signal.SIGHUP)
            bridge_events.wait_for("RELOADING=1")
            before = bridge_events.count("READY=1")
            while bridge_events.count("READY=1") == before:
                bridge_events.wait_for("READY=1")
            bridge_events.wait_for("STATUS=reloaded")
            stop(bridge, bridge_events, "particle-bridge")
        finally:
            if bridge.poll() is None:
                bridge.kill()
        stop(sim, sim_events, "particle-sim")
    finally:
        if sim.poll() is None:
            sim.kill()
    subprocess.run(["rm", "-rf", scratch], check=False)
    print("notify_test: OK")


main()
