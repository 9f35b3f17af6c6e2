"""Application Auto Scaling through boto3 (botocore's JSON 1.1 client) for the endpoint the test
deployed (argv[1]). Prints one JSON object for test/autoscaling/boto3.test.ts to check."""
import json, sys
import boto3
from botocore.exceptions import ClientError

endpoint = sys.argv[1]
aas = boto3.client("application-autoscaling")
key = {"ServiceNamespace": "sagemaker", "ResourceId": f"endpoint/{endpoint}/variant/AllTraffic", "ScalableDimension": "sagemaker:variant:DesiredInstanceCount"}

def code(fn):
    try:
        fn()
        return None
    except ClientError as e:
        return [e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]]

out = {}
out["arn"] = aas.register_scalable_target(**key, MinCapacity=1, MaxCapacity=3)["ScalableTargetARN"]
t = aas.describe_scalable_targets(ServiceNamespace="sagemaker")["ScalableTargets"]
out["targets"] = [[x["ResourceId"], x["MinCapacity"], x["MaxCapacity"], type(x["CreationTime"]).__name__] for x in t]
p = aas.put_scaling_policy(**key, PolicyName="SageMakerEndpointInvocationScalingPolicy", PolicyType="TargetTrackingScaling",
    TargetTrackingScalingPolicyConfiguration={"TargetValue": 70.0, "PredefinedMetricSpecification": {"PredefinedMetricType": "SageMakerVariantInvocationsPerInstance"}, "ScaleInCooldown": 300, "ScaleOutCooldown": 60})
out["policy_arn"] = p["PolicyARN"]
pol = aas.describe_scaling_policies(ServiceNamespace="sagemaker", ResourceId=key["ResourceId"])["ScalingPolicies"]
out["policies"] = [[x["PolicyName"], x["PolicyType"], x["TargetTrackingScalingPolicyConfiguration"]] for x in pol]
out["activities"] = aas.describe_scaling_activities(ServiceNamespace="sagemaker", ResourceId=key["ResourceId"])["ScalingActivities"]
out["paginated"] = sum(len(page["ScalableTargets"]) for page in aas.get_paginator("describe_scalable_targets").paginate(ServiceNamespace="sagemaker", PaginationConfig={"PageSize": 1}))
out["errors"] = {
    "namespace": code(lambda: aas.describe_scalable_targets(ServiceNamespace="ecs")),
    "step": code(lambda: aas.put_scaling_policy(**key, PolicyName="step", PolicyType="StepScaling", StepScalingPolicyConfiguration={"AdjustmentType": "ChangeInCapacity"})),
    "missing_target": code(lambda: aas.delete_scaling_policy(**{**key, "ResourceId": "endpoint/nope/variant/AllTraffic"}, PolicyName="x")),
}
aas.delete_scaling_policy(**key, PolicyName="SageMakerEndpointInvocationScalingPolicy")
aas.deregister_scalable_target(**key)
out["after"] = aas.describe_scalable_targets(ServiceNamespace="sagemaker")["ScalableTargets"]
print(json.dumps(out))
