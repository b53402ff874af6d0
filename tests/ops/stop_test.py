#!/usr/bin/env python3
"""particle-bridge's stop while its database is down (bridge/main.c).

    stop_test.py PARTICLE_SIM PARTICLE_BRIDGE PG_SCRATCH_SH

The bridge stores on a scratch PostgreSQL server; the server is paused and events are
published to particle-sim, so the bridge's writer holds a batch it cannot store. The first
SIGTERM must not end the bridge (it stores everything received before it exits, and the
database is down); a second SIGTERM ends it at once, with exit status 1 and a log line that
says what is not kept. Then a second bridge on the same database gets the same first
SIGTERM, the database comes back, and that bridge stores every event it held and exits 0.
"""
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

DEMO_TOKEN = "0123456789abcdef0123456789abcdef01234567"
API_KEY = "stop-test-api-key-0123456789"
EVENTS = 20


def fail(message):
    print("stop_test: " + message, file=sys.stderr)
    sys.exit(1)


def wait_until(check, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    fail("no %s within %.0f s" % (what, timeout))


def log_text(path):
    with open(path) as f:
        return f.read()


def publish(url, n, name="stop-test"):
    body = urllib.parse.urlencode({"name": name, "data": str(n)}).encode()
    request = urllib.request.Request(url + "/v1/devices/events", data=body,
                                     headers={"Authorization": "Bearer " + DEMO_TOKEN})
    with urllib.request.urlopen(request, timeout=10) as answer:
        if answer.status != 200:
            fail("particle-sim refused an event: %d" % answer.status)


def main():
    if len(sys.argv) != 4:
        fail("usage: stop_test.py PARTICLE_SIM PARTICLE_BRIDGE PG_SCRATCH_SH")
    sim_bin, bridge_bin, pg_scratch = sys.argv[1:]
    scratch = tempfile.mkdtemp(prefix="stop-test-")
    uri = subprocess.run([pg_scratch, "start"], check=True, capture_output=True,
                         text=True).stdout.strip()
    sim = bridge = None
    try:
        sim = subprocess.Popen([sim_bin, "--listen", "127.0.0.1:0", "--quiet"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        url = sim.stdout.readline().strip().rsplit(" ", 1)[-1]
        if not url.startswith("http://"):
            fail("particle-sim did not start: " + url)
        conf = os.path.join(scratch, "bridge.ini")
        with open(conf, "w") as f:
            f.write("[cloud]\nurl = %s\n[database]\nurl = %s\n[api]\nport = 0\n" % (url, uri))
        os.chmod(conf, 0o600)
        env = dict(os.environ, PARTICLE_ACCESS_TOKEN=DEMO_TOKEN, PARTICLE_BRIDGE_API_KEY=API_KEY)

        def start_bridge(log):
            with open(log, "w") as err:
                proc = subprocess.Popen([bridge_bin, "--config", conf], env=env,
                                        stdout=subprocess.DEVNULL, stderr=err)
            wait_until(lambda: "serving http://" in log_text(log), 120, "bridge serving")
            return proc

        def hold_events(bridge, log, name):
            """The database goes away, and events keep coming: the writer holds what it
            cannot store. Then the first SIGTERM, which must not end the bridge."""
            subprocess.run([pg_scratch, "pause", uri], check=True, capture_output=True)
            for n in range(EVENTS):
                publish(url, n, name)
            wait_until(lambda: "store writes failing" in log_text(log), 30,
                       "failing store writes")
            time.sleep(1)  # the last events reach the bridge's stream too
            bridge.send_signal(signal.SIGTERM)
            time.sleep(3)
            if bridge.poll() is not None:
                fail("the first SIGTERM ended the bridge (status %d) with its database down"
                     % bridge.returncode)

        # A second SIGTERM stops at once.
        log = os.path.join(scratch, "bridge.log")
        bridge = start_bridge(log)
        hold_events(bridge, log, "stop-test")
        bridge.send_signal(signal.SIGTERM)
        try:
            status = bridge.wait(timeout=10)
        except subprocess.TimeoutExpired:
            fail("a second SIGTERM did not end the bridge within 10 s")
        if status != 1:
            fail("a forced stop exited %d, not 1" % status)
        if "second SIGTERM: stopping now" not in log_text(log):
            fail("no log line for the forced stop:\n" + log_text(log))

        # Without a second one, the bridge waits for the database and stores what it held.
        subprocess.run([pg_scratch, "resume", uri], check=True, capture_output=True)
        log = os.path.join(scratch, "bridge-2.log")
        bridge = start_bridge(log)
        hold_events(bridge, log, "stop-test-kept")
        subprocess.run([pg_scratch, "resume", uri], check=True, capture_output=True)
        try:
            status = bridge.wait(timeout=120)
        except subprocess.TimeoutExpired:
            fail("the bridge did not stop within 120 s of its database coming back")
        if status != 0:
            fail("a stop that stored everything exited %d, not 0:\n%s" % (status, log_text(log)))
        stored = subprocess.run(["psql", "-XAtq", "-d", uri, "-c",
                                 "SELECT count(*) FROM events WHERE name = 'stop-test-kept'"],
                                check=True, capture_output=True, text=True).stdout.strip()
        if stored != str(EVENTS):
            fail("%s of the %d events held while the database was down were stored"
                 % (stored, EVENTS))
    finally:
        for proc in (bridge, sim):
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait()
        subprocess.run([pg_scratch, "stop", uri], check=False, capture_output=True)
        subprocess.run(["rm", "-rf", scratch], check=False)
    print("stop_test: OK")


main()
