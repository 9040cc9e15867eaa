"""The fuzz harness: mutated scenario files run through every command, counting what must never happen."""
