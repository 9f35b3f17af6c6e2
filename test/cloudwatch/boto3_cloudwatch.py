"""CloudWatch through boto3 in each of CloudWatch's three protocols: the default client (botocore
1.43 picks JSON 1.0 from the model's `protocols`, awsQueryCompatible), and the same client built
from a copy of the model that lists only `smithy-rpc-v2-cbor` or only `query`, so every protocol is
spoken by botocore itself. Prints one JSON object for test/cloudwatch/boto3.test.ts to check."""
import datetime, json, os, sys, tempfile
import boto3, botocore.session
from botocore.exceptions import ClientError

def client(protocol):
    bs = botocore.session.Session()
    if protocol != "json":
        model = bs.get_component("data_loader").load_service_model("cloudwatch", "service-2")
        model["metadata"]["protocol"] = protocol
        model["metadata"]["protocols"] = [protocol]
        d = tempfile.mkdtemp()
        os.makedirs(os.path.join(d, "cloudwatch", model["metadata"]["apiVersion"]))
        with open(os.path.join(d, "cloudwatch", model["metadata"]["apiVersion"], "service-2.json"), "w") as f:
            json.dump(model, f)
        bs.set_config_variable("data_path", d)
    c = boto3.Session(botocore_session=bs).client("cloudwatch")
    assert c.meta.service_model.resolved_protocol == protocol, c.meta.service_model.resolved_protocol
    paths = []
    header = lambda request, name: (lambda v: v.decode() if isinstance(v, bytes) else v)(request.headers.get(name))
    c.meta.events.register("before-send", lambda request, **_: paths.append((request.url.split("/", 3)[-1], header(request, "Content-Encoding"), header(request, "smithy-protocol") or header(request, "Content-Type"))))
    return c, paths

def code(fn):
    try:
        fn()
        return None
    except ClientError as e:
        return [e.response["Error"]["Code"], e.response["Error"]["Message"], e.response["ResponseMetadata"]["HTTPStatusCode"]]

hour = datetime.datetime.now(datetime.timezone.utc).replace(minute=0, second=0, microsecond=0) - datetime.timedelta(hours=1)
t = lambda m: hour + datetime.timedelta(minutes=m)
dims = [{"Name": "EndpointName", "Value": "ep"}, {"Name": "VariantName", "Value": "AllTraffic"}]
out = {}
for protocol in ("json", "smithy-rpc-v2-cbor", "query"):
    c, paths = client(protocol)
    ns = "Boto3/" + protocol
    c.put_metric_data(Namespace=ns, MetricData=[
        {"MetricName": "Latency", "Dimensions": dims, "Timestamp": t(0), "Value": 10.5, "Unit": "Milliseconds"},
        {"MetricName": "Latency", "Dimensions": dims, "Timestamp": t(0), "Values": [1, 2], "Counts": [2, 1], "Unit": "Milliseconds"},
        {"MetricName": "Latency", "Dimensions": dims, "Timestamp": t(1), "StatisticValues": {"SampleCount": 2, "Sum": 3, "Minimum": 1, "Maximum": 2}, "Unit": "Milliseconds", "StorageResolution": 1},
    ])
    # big enough (> 10 KiB) for botocore to gzip it
    c.put_metric_data(Namespace=ns, MetricData=[{"MetricName": "Many", "Dimensions": [{"Name": "N", "Value": "x" * 40 + str(i)}], "Value": i} for i in range(300)])
    r = {}
    s = c.get_metric_statistics(Namespace=ns, MetricName="Latency", Dimensions=dims, StartTime=t(0), EndTime=t(5), Period=60, Statistics=["Sum", "SampleCount", "Average", "Maximum"])
    r["stats"] = sorted(([dp["Timestamp"].isoformat(), dp["Unit"], dp["Sum"], dp["SampleCount"], dp["Average"], dp["Maximum"]] for dp in s["Datapoints"]))
    pages = list(c.get_paginator("get_metric_data").paginate(
        MetricDataQueries=[{"Id": "lat", "MetricStat": {"Metric": {"Namespace": ns, "MetricName": "Latency", "Dimensions": dims}, "Period": 60, "Stat": "Minimum"}, "Label": "min"}],
        StartTime=t(0), EndTime=t(5), ScanBy="TimestampAscending", MaxDatapoints=1))
    r["data"] = [[res["Label"], [ts.isoformat() for ts in res["Timestamps"]], res["Values"], res["StatusCode"]] for p in pages for res in p["MetricDataResults"]]
    r["many"] = sum(len(p["Metrics"]) for p in c.get_paginator("list_metrics").paginate(Namespace=ns, MetricName="Many"))
    r["list"] = c.list_metrics(Namespace=ns, Dimensions=[{"Name": "VariantName", "Value": "AllTraffic"}])["Metrics"]
    r["errors"] = {
        "aws_namespace": code(lambda: c.put_metric_data(Namespace="AWS/SageMaker", MetricData=[{"MetricName": "X", "Value": 1}])),
        "both": code(lambda: c.put_metric_data(Namespace=ns, MetricData=[{"MetricName": "X", "Value": 1, "StatisticValues": {"SampleCount": 1, "Sum": 1, "Minimum": 1, "Maximum": 1}}])),
        "extended": code(lambda: c.get_metric_statistics(Namespace=ns, MetricName="X", StartTime=t(0), EndTime=t(1), Period=60, ExtendedStatistics=["p90"])),
        "token": code(lambda: c.get_metric_data(MetricDataQueries=[{"Id": "a", "MetricStat": {"Metric": {"Namespace": ns, "MetricName": "X"}, "Period": 60, "Stat": "Sum"}}], StartTime=t(0), EndTime=t(1), NextToken="bm9wZQ")),
        "expression": code(lambda: c.get_metric_data(MetricDataQueries=[{"Id": "e", "Expression": "m1 * 2"}], StartTime=t(0), EndTime=t(1))),
    }
    r["paths"] = sorted(set(p.split("/operation/")[0] for p, _, _ in paths))
    r["content"] = sorted(set(ct for _, _, ct in paths))
    r["gzip"] = any(enc == "gzip" for _, enc, _ in paths)
    out[protocol] = r
print(json.dumps(out))
