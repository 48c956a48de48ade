/**
 * Running a plan: steps dispatched to operation runners, state persisted after each step so a failed deploy
 * resumes, outputs evaluated, secrets masked in everything shown.
 */
package io.imagebuilder.deploy;
