package dev.tessera;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TensorFormatTest {

    @Test
    void smallMatrixPrintsAlignedRows() {
        Tensor t = Tensor.of(new float[] {1, 2.5f, -3, 4, 5, 6}, 2, 3);
        assertEquals("tensor([[ 1.0000,  2.5000, -3.0000],\n"
                + "        [ 4.0000,  5.0000,  6.0000]], shape=(2, 3), dtype=float32)", t.toString());
    }

    @Test
    void largeMatrixIsSummarisedWithThreeEdgeItems() {
        Tensor t = Tensor.arange(2000).reshape(40, 50);
        assertEquals("tensor([[   0,    1,    2, ...,   47,   48,   49],\n"
                + "        [  50,   51,   52, ...,   97,   98,   99],\n"
                + "        [ 100,  101,  102, ...,  147,  148,  149],\n"
                + "        ...,\n"
                + "        [1850, 1851, 1852, ..., 1897, 1898, 1899],\n"
                + "        [1900, 1901, 1902, ..., 1947, 1948, 1949],\n"
                + "        [1950, 1951, 1952, ..., 1997, 1998, 1999]], shape=(40, 50), dtype=int64)", t.toString());
    }

    @Test
    void threeDimensionalTensorsSeparateBlocksWithABlankLine() {
        Tensor t = Tensor.arange(8).reshape(2, 2, 2);
        assertEquals("tensor([[[0, 1],\n"
                + "         [2, 3]],\n"
                + "\n"
                + "        [[4, 5],\n"
                + "         [6, 7]]], shape=(2, 2, 2), dtype=int64)", t.toString());
    }

    @Test
    void scalarsAndEmptyTensors() {
        assertEquals("tensor(3.0000, shape=(), dtype=float32)", Tensor.scalar(3).toString());
        assertEquals("tensor([], shape=(0, 3), dtype=float32)", Tensor.zeros(0, 3).toString());
    }

    @Test
    void transposedViewsPrintInLogicalOrder() {
        Tensor t = Tensor.arange(6).reshape(2, 3).transpose(0, 1);
        assertEquals("tensor([[0, 3],\n        [1, 4],\n        [2, 5]], shape=(3, 2), dtype=int64)", t.toString());
    }
}
