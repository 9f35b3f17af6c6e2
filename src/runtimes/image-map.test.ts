import { describe, expect, it } from 'vitest';
import { matchRuntime, parseImage } from './image-map.js';

describe('image → runtime', () => {
  it('maps the URIs the SageMaker Python SDK generates, in any region', () => {
    expect(matchRuntime('683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3')).toMatchObject({ framework: 'sklearn', version: '1.2-1' });
    expect(matchRuntime('763104351884.dkr.ecr.eu-west-1.amazonaws.com/pytorch-training:2.1-cpu-py310')).toMatchObject({ framework: 'pytorch', version: '2.1', purpose: 'training' });
    expect(matchRuntime('763104351884.dkr.ecr.ap-northeast-1.amazonaws.com/pytorch-inference:2.1-cpu-py310')).toMatchObject({ framework: 'pytorch', purpose: 'inference' });
    expect(matchRuntime('246618743249.dkr.ecr.us-west-2.amazonaws.com/sagemaker-xgboost:1.7-1')).toMatchObject({ framework: 'xgboost', version: '1.7-1' });
    expect(matchRuntime('763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-training:2.0.0-transformers4.28.1-gpu-py310-cu118-ubuntu20.04')).toMatchObject({ framework: 'huggingface' });
    expect(matchRuntime('763104351884.dkr.ecr.cn-north-1.amazonaws.com.cn/tensorflow-training:2.13-cpu-py310')).toMatchObject({ framework: 'tensorflow' });
  });

  it('leaves any other image to the container lane', () => {
    expect(matchRuntime('123456789012.dkr.ecr.us-east-1.amazonaws.com/my-algo:latest')).toBeUndefined();
    expect(matchRuntime('busybox:latest')).toBeUndefined();
    expect(parseImage('localhost/my/img:v1')).toEqual({ image: 'localhost/my/img:v1', repository: 'localhost/my/img', tag: 'v1' });
  });
});
