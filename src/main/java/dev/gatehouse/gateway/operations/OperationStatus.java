package dev.gatehouse.gateway.operations;

/**
 * The {@code status} of an ARM asynchronous operation: {@code InProgress} until the write is applied (then
 * {@code Succeeded} or {@code Failed}), or {@code Canceled} when its gateway was deleted first.
 */
public enum OperationStatus {
    InProgress,
    Succeeded,
    Failed,
    Canceled
}
