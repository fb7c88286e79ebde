# Label-smoothed NLL written out on log-probabilities (`lprobs`, as fairseq-style code names them), class axis 1,
# class-index targets. Healthy.
# framework: torch
# expect: clean
# verified: torch 2.15.0: smoothed_nll value 1.3461 on a 2x3x16x16 log-probs batch (log_softmax of logits), index target, grad norm on the logits 0.03605, backward ok; perfect (log_softmax of +-20) 2.667 (the smoothing's spread over log-probabilities of -40), all-background 28.05, uniform 1.0986; fed softmax probabilities instead it returns -0.3423
# entry: smoothed_nll
import torch


def smoothed_nll(lprobs, target, epsilon=0.1, dim=1):
    # lprobs: log_softmax output (N, C, H, W); target: class indices (N, H, W).
    picked = -lprobs.gather(dim, target.unsqueeze(dim)).squeeze(dim)
    spread = -lprobs.mean(dim=dim)
    return ((1.0 - epsilon) * picked + epsilon * spread).mean()
