"""warmonitor at corpus scale: the same pipeline and merging run as a Spark job (`warmonitor spark-extract`,
or `spark-submit warmonitor/scale/spark_job.py`). pyspark is an optional extra (`pip install warmonitor[spark]`);
only `spark_job` imports it, so `schema`, `articles` and `dedup` work without it."""
