-- wrk: POST an order to the pipeline graph (bench/run_serve.sh).
wrk.method = "POST"
wrk.body = '{"order": {"total": 120, "items": 2}}'
wrk.headers["Content-Type"] = "application/json"
