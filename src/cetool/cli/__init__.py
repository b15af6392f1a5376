"""The thin layer: parse options, call one core function, pick a reporter, exit with its code."""
