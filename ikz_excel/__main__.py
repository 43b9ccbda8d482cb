"""`py -m ikz_excel …` does what `ikz …` does.

When IT installed Python for all users, `pip install` falls back to a user installation whose
`Scripts` folder (with `ikz.exe`) is not on PATH; `py -m ikz_excel` needs only `py`. The guard
matters: worker processes (multiprocessing, spawn on Windows) import this module again.
"""

from ikz_excel.cli import main

if __name__ == "__main__":
    main()
