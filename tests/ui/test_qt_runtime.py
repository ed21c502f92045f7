"""The installed Qt binding must survive a long session of signals.

PySide6 6.12.0 loses a reference to True on every Signal.emit made from Python; after a few hundred
emits the interpreter aborts ("bool_dealloc"), which would take the app down mid-conversation. The
check runs in a child process so a bad binding fails this test instead of crashing the test run."""
import subprocess
import sys

CHILD = r"""
import sys
from PySide6.QtCore import QCoreApplication, QObject, Signal

class Emitter(QObject):
    changed = Signal(int)
    named = Signal(str)

app = QCoreApplication([])
emitter = Emitter()
seen = []
emitter.changed.connect(seen.append)
emitter.named.connect(seen.append)
before = sys.getrefcount(True)
for i in range(5000):
    emitter.changed.emit(i)
    emitter.named.emit("saved")
after = sys.getrefcount(True)
print(len(seen), after - before)
"""


def test_five_thousand_signals_leave_the_interpreter_intact():
    result = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=60,
                            env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""})
    assert result.returncode == 0, result.stderr[-500:]
    delivered, drift = map(int, result.stdout.split())
    assert delivered == 10000
    assert abs(drift) < 50
