package io.tessera.parallel;

/**
 * Element-wise sum across the members of a group: the collective that keeps data-parallel replicas in step.
 *
 * <p>Contract: each of the {@link #size()} members, one thread each, calls {@link #sum} the same number of times,
 * in the same order, with arrays of the same length. A call blocks until every member has made it; on return each
 * member's array holds the total. Totals are added in rank order, so every member gets bit-identical values and a
 * run repeats exactly. A member whose peer fails, or that waits longer than the group's timeout, gets an
 * {@link AllReduceException} instead of blocking for ever. One object per member; not shared between threads.
 */
public interface AllReduce {

    /**
     * This member's position in the group, from 0.
     *
     * @return the rank, {@code 0 .. size() - 1}
     */
    int rank();

    /**
     * The number of members.
     *
     * @return the group size, {@code >= 1}
     */
    int size();

    /**
     * Replaces {@code values} with the element-wise sum of every member's {@code values}.
     *
     * @param values this member's values, overwritten with the sum; every member passes the same length
     * @throws AllReduceException when a member failed, the group was aborted, the lengths differ or the wait timed out
     */
    void sum(float[] values);
}
