# gunicorn reads this file from its working directory.
import multiprocessing

bind = "0.0.0.0:8050"
workers = min(4, multiprocessing.cpu_count() * 2 + 1)
accesslog = "-"
