"""Benchmarks: `make bench` (python -m benchmarks). Every figure is a ratio to a baseline measured in the same run."""


def peak_kb() -> int:
    """This process's own peak resident memory in kB. VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec, so a
    child of a big parent would report the parent's size. (Only the standard library: a memory child imports this.)"""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
