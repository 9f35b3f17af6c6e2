import { describe, expect, it } from 'vitest';
import { localCandidates, parseImageName } from './image-candidates.js';

describe('image URI → local names, in lookup order', () => {
  it('an ECR URI: itself, then repo:tag, then localhost/repo:tag', () => {
    expect(localCandidates('123456789012.dkr.ecr.us-east-1.amazonaws.com/team/trainer:1.2')).toEqual([
      '123456789012.dkr.ecr.us-east-1.amazonaws.com/team/trainer:1.2',
      'team/trainer:1.2',
      'localhost/team/trainer:1.2',
    ]);
  });
  it('a missing tag means latest', () => {
    expect(localCandidates('123456789012.dkr.ecr.eu-west-1.amazonaws.com/algo')).toEqual([
      '123456789012.dkr.ecr.eu-west-1.amazonaws.com/algo:latest',
      'algo:latest',
      'localhost/algo:latest',
    ]);
    expect(localCandidates('my-trainer')).toEqual(['my-trainer:latest', 'localhost/my-trainer:latest']);
  });
  it('another registry is looked up only as given; a digest only as given', () => {
    expect(localCandidates('registry.example.com:5000/ml/trainer:3')).toEqual(['registry.example.com:5000/ml/trainer:3']);
    expect(localCandidates('localhost/trainer:3')).toEqual(['localhost/trainer:3']);
    const digest = `123456789012.dkr.ecr.us-east-1.amazonaws.com/algo@sha256:${'a'.repeat(64)}`;
    expect(localCandidates(digest)).toEqual([digest]);
  });
  it('parses registry, repository, tag and digest', () => {
    expect(parseImageName('host:5000/a/b:c')).toEqual({ registry: 'host:5000', repository: 'a/b', tag: 'c', digest: undefined });
    expect(parseImageName('a/b')).toEqual({ registry: undefined, repository: 'a/b', tag: undefined, digest: undefined });
    expect(parseImageName('x@sha256:00')).toEqual({ registry: undefined, repository: 'x', tag: undefined, digest: 'sha256:00' });
  });
});
