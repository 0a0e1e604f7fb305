"""The packaged app's entry point: `crm-desktop` as the installed console script runs it."""

import multiprocessing
import sys

if __name__ == "__main__":
    # Before anything else: a process the demo generator spawns is this same executable, told
    # by its arguments to run a worker instead of the program (a frozen app has no python).
    multiprocessing.freeze_support()

    from crm_desktop.launch import main

    sys.exit(main())
