"""Shared by the bench runners: reads Google Benchmark's JSON (repetitions with aggregates) and
prints markdown tables of ns per item, medians with their spread (coefficient of variation)."""
import json


class Report:
    def __init__(self, path):
        with open(path) as f:
            report = json.load(f)
        self.aggregates = {}
        for entry in report["benchmarks"]:
            if entry.get("run_type") == "aggregate":
                self.aggregates.setdefault(entry["run_name"], {})[entry["aggregate_name"]] = entry

    def per_item(self, name):
        """(median ns per item, coefficient of variation) of BM_<name>, or (None, None)."""
        entry = self.aggregates.get(f"BM_{name}/real_time", {})
        median = entry.get("median", {}).get("items_per_second")
        cv = entry.get("cv", {}).get("items_per_second")
        return (1e9 / median if median else None), cv

    def table(self, rows, baseline, first_column="node", unit="ns per node"):
        """One markdown table of (benchmark name, what it is, target or None) rows; cost is the
        row minus the `baseline` benchmark."""
        base, _ = self.per_item(baseline)
        print(f"| {first_column} | {unit} | spread | cost | target |")
        print("|---|---:|---:|---:|---:|")
        for name, what, target in rows:
            ns, cv = self.per_item(name)
            cost = ns - base if None not in (ns, base) and name != baseline else None
            print(f"| {what} | {'n/a' if ns is None else f'{ns:.0f}'} "
                  f"| {'n/a' if cv is None else f'{cv * 100:.0f}%'} "
                  f"| {'' if cost is None else f'{cost:+.0f}'} "
                  f"| {'' if target is None else f'<= {target}'} |")
