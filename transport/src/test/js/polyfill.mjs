// js-libp2p 3 targets Node 22; this supplies the one newer built-in it relies on when run on Node 20.
// Load it first: node --import ./polyfill.mjs peer.mjs
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function withResolvers () {
    let resolve
    let reject
    const promise = new this((res, rej) => {
      resolve = res
      reject = rej
    })
    return { promise, resolve, reject }
  }
}
