"""`python -m kiosk …`: the same command as the `kiosk` script, for a machine where the
virtualenv's bin folder is not on PATH."""

from kiosk.cli import main

if __name__ == "__main__":
    main()
