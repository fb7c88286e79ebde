# The model ends in log_softmax; the loss module wraps nn.NLLLoss and takes those log-probabilities
# (`log_probs`), with class-index labels. Healthy: probed with probabilities it would look trivially solved.
# framework: torch
# expect: clean
# verified: torch 2.15.0: SegmentationNLL() value 1.4397 on a 2x3x16x16 log-probs batch (log_softmax of logits), index target, grad norm on the logits 0.04039, backward ok; perfect (log_softmax of +-20) 0, all-background 28.2, uniform 1.0986; fed softmax probabilities instead it returns -0.3226
# entry: SegmentationNLL()
import torch.nn as nn


class SegmentationNLL(nn.Module):
    """The network ends in log_softmax over the class channel; the loss is the plain NLL of those log-probabilities."""

    def __init__(self, ignore_index=-100):
        super().__init__()
        self.criterion = nn.NLLLoss(ignore_index=ignore_index)

    def forward(self, log_probs, labels):
        return self.criterion(log_probs, labels)
