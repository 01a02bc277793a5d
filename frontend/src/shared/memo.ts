/** Remembers the answers to JSON questions by their body, so the page never asks the server the same thing twice. */

/**
 * Wraps `ask` so that a body it has answered (or is answering) gets the same answer without a new
 * request. Each caller receives its own copy. Failures are forgotten, so the next call asks again;
 * the oldest answers go once more than `capacity` bodies are held.
 */
export function memoByBody<B, R>(ask: (body: B) => Promise<R>, capacity = 32): (body: B) => Promise<R> {
  const answers = new Map<string, Promise<R>>();
  return (body: B) => {
    const key = JSON.stringify(body);
    let answer = answers.get(key);
    if (answer) {
      answers.delete(key); // re-inserted below: the most recently used stays longest
    } else {
      answer = ask(body);
      const asked = answer;
      asked.catch(() => answers.get(key) === asked && answers.delete(key));
    }
    answers.set(key, answer);
    while (answers.size > capacity) answers.delete(answers.keys().next().value as string);
    return answer.then((value) => structuredClone(value));
  };
}
