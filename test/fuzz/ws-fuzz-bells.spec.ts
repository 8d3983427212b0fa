import { fuzzGateways } from './ws-fuzz';

fuzzGateways(['bells']);
