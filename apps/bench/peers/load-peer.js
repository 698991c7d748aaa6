// Lives in apps/bench/peers so that bare imports resolve against this folder's own node_modules
// (the peers need Node >= 22.12 and are not workspace dependencies).
/** Imports a peer package (`graphile-worker`, `pg-boss`, `bullmq`) installed by `npm ci` here. */
export const loadPeer = (name) => import(name);
