"""Hard wall-clock budgets: stop a render mid-flight, whatever the template does.

The sandbox counts its own work (``RenderScope.tick``), but a single filter
call can run long between two ticks (``urlize`` over a large value takes half
a second), and Jinja has no timeout. So one watchdog thread per process
watches the renders in progress and, when one passes its deadline, raises an
exception *inside the rendering thread* with CPython's
``PyThreadState_SetAsyncExc``. The exception arrives at the next bytecode
boundary of that thread: between two words of ``urlize``, inside a loop the
template runs, anywhere in Python code. Long C calls are not interrupted, which
is why the sandbox also caps every size a C call could spend time on.

Two kinds of deadline, each its own ``BaseException`` (so no ``except
Exception`` on the way, Jinja's or ours, swallows it):

* the **budget** of the current template part (``Limits.time_budget_s``,
  restarted per part): :class:`BudgetInterrupt`, turned into a
  ``RenderBudgetExceededError`` by the renderer;
* an optional **slice** for the whole render: :class:`RenderSliceExpired`. A
  server renders on its event loop for speed and gives each render a slice of
  a few milliseconds; a render that outlives it is stopped and run again on a
  worker thread with its full budget, so a slow template never stalls the
  other requests of the worker (rendering is pure: running it twice is safe).

Arming costs a dictionary insert and a counter increment. The watchdog ticks
while renders keep arriving and only goes to sleep after ``_IDLE_TICKS`` ticks
in which nothing was armed: waking a sleeping thread (``Event.set``, a
condition notify and a GIL hand-off) on every render cost a server about a
tenth of its render path, since between two renders nothing is armed.

The cancellation protocol (see :meth:`Watchdog.disarm`): the watchdog *claims*
a slot by popping it from the armed set before injecting; the rendering
thread's ``disarm`` pops it too. Exactly one of the two pops wins (dictionary
operations are atomic under the GIL). When the watchdog won, ``disarm`` waits
until the exception is injected and then cancels it if it has not arrived yet,
so it can never surface after the render, in unrelated code.

Where an interrupt lands in code Python cannot raise from (a ``__del__``, a
weakref callback such as ``WeakSet``'s, a ``gc`` callback), Python hands it to
``sys.unraisablehook`` and goes on. The render still stops, from the flag (see
:class:`Interruptible`), so such a landing is expected, not an error: before
each injection the watchdog makes sure ``sys.unraisablehook`` is wrapped by
:class:`_DropInterrupts`, which counts these two exceptions
(``_DropInterrupts.dropped``) and passes every other one to the hook it wraps.
The check runs at every injection because anyone (a test runner, an app) may
replace the hook at any time. The finaliser so interrupted does not finish:
a ``WeakSet`` keeps that one dead reference, say. Every finaliser that runs on
a rendering thread while its render is stopped is exposed to this, which is
why the sandbox keeps renders from owning resources that need one.
"""

from __future__ import annotations

import ctypes
import itertools
import os
import sys
import threading
from collections.abc import Callable
from time import monotonic, sleep
from typing import ClassVar, Protocol, TypeVar

__all__ = [
    "BudgetInterrupt",
    "Interruptible",
    "RenderSliceExpired",
    "Watchdog",
    "watchdog",
]

_T = TypeVar("_T")

# Private prototypes: never touch ``ctypes.pythonapi``'s shared function object.
_set_async_exc = ctypes.PYFUNCTYPE(ctypes.c_int, ctypes.c_ulong, ctypes.py_object)(
    ("PyThreadState_SetAsyncExc", ctypes.pythonapi)
)
_clear_async_exc = ctypes.PYFUNCTYPE(ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p)(
    ("PyThreadState_SetAsyncExc", ctypes.pythonapi)
)

_TICK = 0.004
"""How often the watchdog looks while something is armed (seconds)."""
_IDLE_TICKS = 50
"""Ticks without any render armed before the watchdog sleeps (0.2 s)."""


class BudgetInterrupt(BaseException):
    """Raised inside a render whose current part ran past its time budget."""


class RenderSliceExpired(BaseException):
    """Raised inside a render that outlived its slice; run it again elsewhere."""


class _DropInterrupts:
    """A ``sys.unraisablehook`` that drops the watchdog's own interrupts.

    They land in finalisers by design (the render stops through its flag);
    any other unraisable exception goes to the hook this one wraps.
    """

    __slots__ = ("previous",)

    dropped: ClassVar[int] = 0
    """Interrupts that landed in a finaliser or callback and were dropped
    there, in this process (the render stopped at its next tick instead)."""

    def __init__(self, previous: Callable[[sys.UnraisableHookArgs], object]) -> None:
        self.previous = previous

    def __call__(self, unraisable: sys.UnraisableHookArgs) -> None:
        kind = unraisable.exc_type
        if isinstance(kind, type) and issubclass(kind, _INTERRUPTS):
            _DropInterrupts.dropped += 1
            return
        self.previous(unraisable)


def _drop_interrupts_in_finalisers() -> None:
    """Wrap the current ``sys.unraisablehook`` unless it already is ours."""
    hook = sys.unraisablehook
    if not isinstance(hook, _DropInterrupts):
        sys.unraisablehook = _DropInterrupts(hook)


class Interruptible(Protocol):
    """What the watchdog watches: a deadline, and a flag for cooperative stops.

    ``interrupt`` is set before the exception is injected: an exception that
    lands in a finaliser or a ``gc`` callback is swallowed by Python ("Exception
    ignored in ..."), so the render's own ticks raise it again from the flag.
    """

    interrupt: type[BaseException] | None

    def budget_deadline(self) -> float: ...


class _Slot:
    __slots__ = ("injected", "key", "slice_deadline", "target", "thread_id")

    injected: bool

    def __init__(
        self, key: int, target: Interruptible, slice_deadline: float | None
    ) -> None:
        self.key = key
        self.thread_id = threading.get_ident()
        self.target = target
        self.slice_deadline = slice_deadline
        self.injected = False


class Watchdog:
    """Interrupts renders past their deadline (one per process suffices)."""

    def __init__(self, tick: float = _TICK) -> None:
        self._tick = tick
        self._armed: dict[int, _Slot] = {}
        self._keys = itertools.count()
        self._wake = threading.Event()
        self._sleeping = False
        self._arms = 0
        """Renders armed so far (the watchdog stays awake while it moves)."""
        self._start_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.interrupts = 0
        """How many renders were interrupted (for metrics and tests)."""

    def run(
        self,
        fn: Callable[[], _T],
        target: Interruptible,
        slice_s: float | None = None,
    ) -> _T:
        """Call ``fn`` on this thread; interrupt it when
        ``target.budget_deadline()`` (read again at every look: it moves on per
        template part) or the slice has passed: :class:`BudgetInterrupt` or
        :class:`RenderSliceExpired` then propagates out of this call (possibly
        after ``fn`` returned, while disarming: the deadline did pass)."""
        slot = self.arm(target, slice_s)
        try:
            return fn()
        finally:
            self.disarm(slot)

    def arm(self, target: Interruptible, slice_s: float | None = None) -> _Slot:
        """Watch the calling thread until :meth:`disarm`."""
        if self._thread is None:
            # Before this thread is armed: a watchdog that found it past its
            # deadline while ``Thread.start()`` waits for the new thread to
            # boot would interrupt it in there, or hit the booting thread
            # itself, whose state carries this thread's id until it runs.
            self._start()
        slice_deadline = None if slice_s is None else monotonic() + slice_s
        slot = _Slot(next(self._keys), target, slice_deadline)
        self._armed[slot.key] = slot
        self._arms += 1
        # The watchdog says it sleeps *before* it looks at the armed set a last
        # time, and this insert came first: either it sees the slot or this
        # sees the flag (each step is atomic under the GIL).
        if self._sleeping:
            self._wake.set()
        return slot

    def disarm(self, slot: _Slot) -> None:
        """Stop watching; never lets an interrupt surface after it returns."""
        if self._armed.pop(slot.key, None) is not None:
            return
        # The watchdog claimed the slot: wait for its exception, then cancel it
        # unless it already arrived (then it propagates from here or earlier).
        while not slot.injected:  # a few bytecodes away in the watchdog thread
            sleep(0)
        _clear_async_exc(slot.thread_id, None)

    def after_fork(self) -> None:
        """In a forked child: the parent's watchdog thread did not come along
        (nor did its renders), so start over; the next armed render starts a
        thread of the child's own. Registered with ``os.register_at_fork``."""
        self._armed = {}
        self._wake = threading.Event()
        self._sleeping = False
        self._start_lock = threading.Lock()
        self._thread = None

    def _start(self) -> None:
        with self._start_lock:
            if self._thread is not None:
                return
            thread = threading.Thread(
                target=self._watch, name="render-watchdog", daemon=True
            )
            thread.start()
            self._thread = thread

    def _watch(self) -> None:
        tick = self._tick
        quiet, seen = 0, self._arms
        while True:
            armed, wake = self._armed, self._wake  # replaced after a fork
            if not armed:
                if self._arms != seen:
                    quiet, seen = 0, self._arms
                quiet += 1
                if quiet < _IDLE_TICKS:
                    sleep(tick)
                    continue
                wake.clear()
                self._sleeping = True
                if not armed:
                    wake.wait()
                self._sleeping = False
                quiet, seen = 0, self._arms
                continue
            quiet = 0
            now = monotonic()
            for slot in list(armed.values()):
                if slot.slice_deadline is not None and now > slot.slice_deadline:
                    self._interrupt(slot, RenderSliceExpired)
                elif now > slot.target.budget_deadline():
                    self._interrupt(slot, BudgetInterrupt)
            sleep(tick)

    def _interrupt(self, slot: _Slot, kind: type[BaseException]) -> None:
        if self._armed.pop(slot.key, None) is None:
            return  # disarmed meanwhile: the render finished in time
        self.interrupts += 1
        slot.target.interrupt = kind
        _drop_interrupts_in_finalisers()
        _set_async_exc(slot.thread_id, kind)
        slot.injected = True


_INTERRUPTS = (BudgetInterrupt, RenderSliceExpired)

watchdog = Watchdog()
"""The process's watchdog (its thread starts with the first armed render)."""
os.register_at_fork(after_in_child=watchdog.after_fork)
