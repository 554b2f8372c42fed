"""The entry of the ``mastery-model`` command (and of ``python -m mastery_model``).

Ctrl-C at any moment ends the command with exit status 130 and one line, never a traceback. While
the command line's own module loads (the parser and what building it needs), an interrupt ends the
process on the spot: nothing has been written yet. From then on an interrupt is the usual
``KeyboardInterrupt``, which ``cli.main`` turns into the same status and line, and half-written
outputs are cleaned up on the way out. The modules a command needs load on its first use of them
(a command loads only those it uses); an interrupt that comes while one loads waits for its import
to end, since an exception raised inside the initialisation of a compiled dependency can crash the
interpreter instead of reaching the handler.

Before this module runs, Ctrl-C is the interpreter's: in the start-up's first milliseconds it ends
the process silently, then, until ``main`` starts (the interpreter's ``site`` module, the console
script's import of this one: some ten milliseconds), it can still print a traceback. Hence this
module loads nothing the interpreter has not loaded already.
"""

import os
import sys

# The interpreter's own signal module, loaded before any code runs: ``signal`` would first load
# enum, functools and collections, in which time an interrupt would still print a traceback.
# (Not typing's TYPE_CHECKING either, for the same reason: type checkers take any name so to be true.)
TYPE_CHECKING = False
if TYPE_CHECKING:
    import signal
    from types import FrameType
else:
    import _signal as signal

INTERRUPTED = 130
MESSAGE = b"mastery-model: interrupted\n"


def main() -> int:
    """Run the command line on ``sys.argv``; the exit status. For the process's own use: it leaves
    Ctrl-C ignored when it returns, for the interpreter's exit (a second interrupt there would only
    spoil the status, or print a traceback from the interpreter's clean-up)."""
    ours = signal.getsignal(signal.SIGINT) is signal.default_int_handler  # else Ctrl-C is someone else's
    try:
        try:
            if ours:
                signal.signal(signal.SIGINT, _end_at_once)
            from mastery_model import cli

            if ours:
                signal.signal(signal.SIGALRM, _interrupt)
                signal.signal(signal.SIGINT, _interrupt)
            code = cli.main()
            sys.stdout.flush()  # here, where a closed pipe is caught, rather than at the interpreter's exit
        finally:
            if ours:
                signal.signal(signal.SIGINT, signal.SIG_IGN)
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, signal.SIG_IGN)
        if _waiting:  # interrupted during an import that ended as the command did
            raise KeyboardInterrupt
    except KeyboardInterrupt:
        say_interrupted()
        return INTERRUPTED
    except BrokenPipeError:  # the reader went away (`| head`): nothing left to say
        discard_standard_output()
        return 0
    return code


#: How often an interrupt that came during an import looks again whether the import has ended.
_RECHECK_SECONDS = 0.005
_waiting = False


def _interrupt(signal_number: int, frame: "FrameType | None") -> None:
    """Ctrl-C (and the looks again) once the command line is loaded: ``KeyboardInterrupt``, but
    never inside an import. An exception raised inside the initialisation of a compiled module can
    crash the interpreter rather than reach the handler, so an interrupt that comes while a module
    loads waits for the import to end, looking again every few milliseconds (SIGALRM)."""
    global _waiting
    if _importing(frame):
        _waiting = True
        signal.setitimer(signal.ITIMER_REAL, _RECHECK_SECONDS)
        return
    _waiting = False
    raise KeyboardInterrupt


def _importing(frame: "FrameType | None") -> bool:
    """Whether the code interrupted runs inside an import: the import system's frames are in its stack."""
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib"):
            return True
        frame = frame.f_back
    return False


def _end_at_once(signal_number: int, frame: object) -> None:
    say_interrupted()
    os._exit(INTERRUPTED)


def say_interrupted() -> None:
    """The one line an interrupted command writes."""
    try:  # noqa: SIM105 - contextlib would be one more module to load before Ctrl-C is handled
        os.write(2, MESSAGE)
    except OSError:  # no standard error to write to: the exit status says it
        pass


def discard_standard_output() -> None:
    """Standard output pointed at the null device, so that the interpreter's last flush finds no
    closed pipe to complain about."""
    try:  # noqa: SIM105 - as above
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):  # no file descriptor (a captured stream): nothing to point elsewhere
        pass
